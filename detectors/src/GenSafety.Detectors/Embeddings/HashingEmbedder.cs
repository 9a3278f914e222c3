using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;
using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Telemetry;
using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Embeddings;

/// <summary>
/// Cheap text vectors without a model: the text is normalised (lower case, whitespace runs to one space, a space at
/// each end so word boundaries count), every character n-gram of <see cref="HashingEmbedderOptions.MinNgram"/> to
/// <see cref="HashingEmbedderOptions.MaxNgram"/> characters is hashed to a 64-bit feature (a sparse vector over 2⁶⁴
/// dimensions, weighted by count), and that vector is multiplied by a seeded sparse random projection to
/// <see cref="Dimensions"/> dimensions (each feature adds ±1/√k at k hashed positions) and L2-normalised. Cosine
/// similarity then tracks shared n-grams (near-duplicates, templates, topic vocabulary), not meaning.
/// Deterministic across processes and machines for the same options; thread-safe; allocation-free through
/// <see cref="Embed(ReadOnlySpan{char}, Span{float})"/>.
/// </summary>
public sealed class HashingEmbedder : ITextEmbedder
{
    // Texts up to this many characters are normalised on the stack; longer ones use a pooled buffer.
    private const int StackBufferChars = 512;

    private readonly int _minNgram;
    private readonly int _maxNgram;
    private readonly int _nonZeros;
    private readonly int _maxCharacters;
    private readonly bool _lowerCase;
    private readonly ulong _basis;
    private readonly float _weight;
    private readonly DetectorsMetrics? _metrics;

    /// <summary>Creates the embedder; <paramref name="metrics"/>, when given, counts what <see cref="EmbedAsync"/> embeds.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public HashingEmbedder(HashingEmbedderOptions options, DetectorsMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new HashingEmbedderOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(HashingEmbedderOptions.SectionName, typeof(HashingEmbedderOptions), validation.Failures);
        }

        Dimensions = options.Dimensions;
        _minNgram = options.MinNgram;
        _maxNgram = options.MaxNgram;
        _nonZeros = options.NonZerosPerNgram;
        _maxCharacters = options.MaxCharacters;
        _lowerCase = options.LowerCase;
        _basis = StableHash.FnvOffset ^ StableHash.Mix((ulong)options.Seed);
        _weight = 1f / MathF.Sqrt(_nonZeros);
        _metrics = metrics;
    }

    /// <inheritdoc />
    public string Name => EmbedderNames.Hashing;

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <summary>The vector of <paramref name="text"/>: unit length, or all zeros when the text is empty or whitespace.</summary>
    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[Dimensions];
        Embed(text, vector);
        return vector;
    }

    /// <summary>
    /// Writes the vector of <paramref name="text"/> to <paramref name="destination"/> (exactly
    /// <see cref="Dimensions"/> long): unit length, or all zeros when the text is empty or whitespace.
    /// </summary>
    public void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException($"The destination must hold exactly {Dimensions} values.", nameof(destination));
        }

        destination.Clear();
        text = text[..Math.Min(text.Length, _maxCharacters)];
        char[]? rented = null;
        var buffer = text.Length + 2 <= StackBufferChars
            ? stackalloc char[StackBufferChars]
            : (rented = ArrayPool<char>.Shared.Rent(text.Length + 2));
        try
        {
            var length = Normalize(text, buffer);
            if (length == 0)
            {
                return;
            }

            Accumulate(buffer[..length], destination);
            var norm = TensorPrimitives.Norm(destination);
            if (norm > 0)
            {
                TensorPrimitives.Divide(destination, norm, destination);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var started = Stopwatch.GetTimestamp();
        var vectors = new float[texts.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            vectors[i] = Embed(texts[i]);
        }

        _metrics?.Embedded(Name, vectors.Length, Stopwatch.GetElapsedTime(started));
        return ValueTask.FromResult(vectors);
    }

    /// <summary>Writes " word word … " to <paramref name="buffer"/>; returns its length, 0 when there are no words.</summary>
    private int Normalize(ReadOnlySpan<char> text, Span<char> buffer)
    {
        var length = 0;
        buffer[length++] = ' ';
        var afterSpace = true;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!afterSpace)
                {
                    buffer[length++] = ' ';
                    afterSpace = true;
                }

                continue;
            }

            buffer[length++] = _lowerCase ? char.ToLowerInvariant(c) : c;
            afterSpace = false;
        }

        if (length == 1)
        {
            return 0;
        }

        if (!afterSpace)
        {
            buffer[length++] = ' ';
        }

        return length;
    }

    private void Accumulate(ReadOnlySpan<char> text, Span<float> destination)
    {
        var dimensions = (uint)destination.Length;
        var weightBits = BitConverter.SingleToUInt32Bits(_weight);
        for (var start = 0; start < text.Length; start++)
        {
            var hash = _basis;
            var end = Math.Min(text.Length, start + _maxNgram);
            for (var i = start; i < end; i++)
            {
                hash = StableHash.Fnv1a(hash, text[i]);
                var n = i - start + 1;
                if (n < _minNgram)
                {
                    continue;
                }

                // The n-gram's feature id, fully mixed; its column of the projection is k (position, sign) pairs, one
                // per 16-bit field of the id (15 bits scaled to a position, 1 bit of sign), four per 64-bit word.
                var bits = StableHash.Mix(hash + ((ulong)n * StableHash.Golden));
                for (var k = 0; k < _nonZeros; k++)
                {
                    if (k > 0 && (k & 3) == 0)
                    {
                        bits = StableHash.Mix(bits + StableHash.Golden);
                    }

                    var field = (uint)(bits >> ((k & 3) * 16)) & 0xFFFF;

                    // The sign bit of the field becomes the float's sign bit: a branch on a random bit would be
                    // mispredicted half the time.
                    var signed = BitConverter.UInt32BitsToSingle(weightBits ^ ((field & 0x8000) << 16));
                    destination[(int)(((field & 0x7FFF) * dimensions) >> 15)] += signed;
                }
            }
        }
    }
}
