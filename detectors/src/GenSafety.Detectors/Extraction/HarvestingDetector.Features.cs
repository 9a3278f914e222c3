using System.Buffers;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Extraction;

/// <summary>Feature extraction: what is kept of a request (sketches and numbers, never the prompt text).</summary>
public sealed partial class HarvestingDetector
{
    // Prompts up to this many characters are normalised on the stack; longer ones use a pooled buffer.
    private const int StackChars = 1024;

    /// <summary>
    /// Reduces a request to its features: the prompt's length, a fingerprint of the whole normalised prompt (lower
    /// case, whitespace runs as one space; the first <see cref="HarvestingOptions.MaxCharacters"/> characters), the
    /// MinHash signature of its opening, whether it holds a reasoning phrase, and the sampling parameters.
    /// </summary>
    public QueryFeatures ExtractFeatures(ReadOnlySpan<char> prompt, int? maxTokens = null, double? temperature = null)
    {
        if (maxTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), "max_tokens cannot be negative.");
        }

        if (temperature is { } t && !(t >= 0 && double.IsFinite(t)))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), "The temperature must be finite and not negative.");
        }

        var text = prompt[..Math.Min(prompt.Length, _options.MaxCharacters)];
        char[]? rented = null;
        // Sized to the prompt: a stack buffer is zeroed, and most prompts are far shorter than the limit.
        var buffer = text.Length <= StackChars ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length));
        try
        {
            var normalized = buffer[..Normalize(text, buffer)];
            var fingerprint = _basis;
            foreach (var c in normalized)
            {
                fingerprint = StableHash.Fnv1a(fingerprint, c);
            }

            var reasoning = false;
            foreach (var phrase in _phrases)
            {
                if (normalized.IndexOf(phrase.AsSpan()) >= 0)
                {
                    reasoning = true;
                    break;
                }
            }

            return new QueryFeatures(_featuresFingerprint, prompt.Length, (uint)(StableHash.Mix(fingerprint) >> 32), Sign(normalized), maxTokens, temperature, reasoning);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Lower case, whitespace runs as one space, no space at either end; returns the length written.</summary>
    private static int Normalize(ReadOnlySpan<char> text, Span<char> destination)
    {
        var length = 0;
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = length > 0;
                continue;
            }

            if (space)
            {
                destination[length++] = ' ';
                space = false;
            }

            destination[length++] = char.ToLowerInvariant(c);
        }

        return length;
    }

    private static string NormalizePhrase(string phrase)
    {
        var buffer = new char[phrase.Length];
        return new string(buffer, 0, Normalize(phrase, buffer));
    }

    /// <summary>The MinHash signature of the first <see cref="HarvestingOptions.PrefixCharacters"/> characters of <paramref name="normalized"/>.</summary>
    private PrefixSignature Sign(ReadOnlySpan<char> normalized)
    {
        var signature = default(PrefixSignature);
        Span<ushort> values = signature;
        values.Fill(ushort.MaxValue);
        var prefix = normalized[..Math.Min(normalized.Length, _options.PrefixCharacters)];
        if (prefix.IsEmpty)
        {
            return signature;
        }

        Span<ulong> minima = stackalloc ulong[PrefixSignature.Length];
        minima.Fill(ulong.MaxValue);
        var width = Math.Min(_options.ShingleLength, prefix.Length);
        for (var start = 0; start + width <= prefix.Length; start++)
        {
            var hash = _basis;
            foreach (var c in prefix.Slice(start, width))
            {
                hash = StableHash.Fnv1a(hash, c);
            }

            var x = StableHash.Mix(hash);
            for (var i = 0; i < minima.Length; i++)
            {
                minima[i] = Math.Min(minima[i], (_multipliers[i] * x) + _offsets[i]);
            }
        }

        // b-bit MinHash: 16 bits of each minimum (not its top bits, which are small for every large set).
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)(minima[i] >> 16);
        }

        return signature;
    }
}
