using System.Buffers;
using GenSafety.Detectors.Extraction;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// The character n-gram index of protected documents (Data Portraits' recipe): each document is normalised and
/// its n-grams of width w at stride w go into a <see cref="BloomFilter"/>; a text is queried at stride 1 and hits
/// are chained (a hit at position p extends the chain ending at p − w), so a verbatim copy of c·w + w − 1
/// normalised characters always yields a chain of c hits. Adding documents needs exclusive access; queries may
/// run concurrently once adding has stopped (a serving gateway builds or loads a new index and swaps it in).
/// </summary>
public sealed class ProtectedTextIndex
{
    // Original characters normalised and scanned at a time by FindLongestMatch.
    private const int OneShotBlock = 16384;

    private readonly object _addLock = new();

    /// <summary>Creates an empty index sized by <paramref name="options"/>.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public ProtectedTextIndex(ProtectedTextIndexOptions options)
        : this(options, CreateFilter(options), new DocumentAttribution(CheckOptions(options).AttributionCapacity))
    {
    }

    internal ProtectedTextIndex(ProtectedTextIndexOptions options, BloomFilter filter, DocumentAttribution attribution)
    {
        Options = CheckOptions(options);
        Filter = filter;
        Attribution = attribution;
        // The chain length c such that every verbatim span of T characters contains c whole indexed n-grams.
        RequiredChunks = (options.StopCharacters - options.NgramWidth + 1) / options.NgramWidth;
    }

    /// <summary>The options the index was built with.</summary>
    public ProtectedTextIndexOptions Options { get; }

    /// <summary>Width w of the n-grams.</summary>
    public int NgramWidth => Options.NgramWidth;

    /// <summary>The Bloom filter (export it in chunks with <see cref="ProtectedTextIndexSnapshot"/>).</summary>
    public BloomFilter Filter { get; }

    /// <summary>The bounded n-gram → document side map.</summary>
    public DocumentAttribution Attribution { get; }

    /// <summary>Chain length c = ⌊(T − w + 1) / w⌋ at which a match exceeds the stop threshold T.</summary>
    public int RequiredChunks { get; }

    /// <summary>N-grams added (with repeats).</summary>
    public long NgramCount { get; internal set; }

    /// <summary>Documents added.</summary>
    public int DocumentCount { get; internal set; }

    /// <summary>Incremented by every added document (stored with snapshots so replicas can tell which one is newer).</summary>
    public long Version { get; internal set; }

    /// <summary>Expected false-positive rate of one lookup now (from the fill), before attribution's confirmation.</summary>
    public double EstimatedFalsePositiveRate => BloomSizing.FalsePositiveRate(Filter.BitCount, NgramCount);

    /// <summary>Normalises and indexes a protected document; returns the number of n-grams it added.</summary>
    public int AddDocument(string id, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextNormalizer.Normalize(text, Options.Normalizer).Text;
        var w = NgramWidth;
        lock (_addLock)
        {
            var ordinal = Attribution.AddDocument(id);
            var added = 0;
            for (var start = 0; start + w <= normalized.Length; start += w)
            {
                var hash = NgramHash.Of(normalized.AsSpan(start, w));
                Filter.Add(hash);
                Attribution.Add(hash, ordinal);
                added++;
            }

            NgramCount += added;
            DocumentCount++;
            Version++;
            return added;
        }
    }

    /// <summary>True when the n-gram with this hash is (probably) indexed: a Bloom hit, confirmed exactly while attribution is complete.</summary>
    internal bool IsIndexed(ulong hash) =>
        Filter.MightContain(hash) && (!Attribution.IsComplete || Attribution.Contains(hash));

    /// <summary>The longest chain of indexed n-grams in <paramref name="text"/> (normalised first), with its place in the original text.</summary>
    public TextMatch FindLongestMatch(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalizer = new IncrementalNormalizer(Options.Normalizer);
        var scanner = new NgramChainScanner(this);
        // Normalised character i came from original offset sources[i]; usually no more than one per original.
        // Pooled: a long text would otherwise put a large-object allocation (and a full collection) on every call.
        var sources = ArrayPool<int>.Shared.Rent(text.Length + 16);
        try
        {
            return FindLongestMatch(text, normalizer, scanner, ref sources);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sources);
        }
    }

    private TextMatch FindLongestMatch(string text, IncrementalNormalizer normalizer, NgramChainScanner scanner, ref int[] sources)
    {
        var length = 0;
        for (var at = 0; at <= text.Length; at += OneShotBlock)
        {
            if (at < text.Length)
            {
                normalizer.Append(text.AsSpan(at, Math.Min(OneShotBlock, text.Length - at)));
            }
            else
            {
                normalizer.Complete();
            }

            var output = normalizer.Output;
            scanner.Push(output, int.MaxValue);
            if (length + output.Length > sources.Length)
            {
                var larger = ArrayPool<int>.Shared.Rent(Math.Max(length + output.Length, sources.Length * 2));
                sources.AsSpan(0, length).CopyTo(larger);
                ArrayPool<int>.Shared.Return(sources);
                sources = larger;
            }

            var offsets = normalizer.OutputOffsets;
            for (var i = 0; i < offsets.Length; i++)
            {
                sources[length + i] = (int)offsets[i];
            }

            length += output.Length;
            normalizer.ClearOutput();
        }

        var w = NgramWidth;
        var bestChain = scanner.LongestChain;
        if (bestChain == 0)
        {
            return TextMatch.None(w);
        }

        var bestEnd = (int)scanner.LongestEnd;
        var start = bestEnd - bestChain * w;
        var map = sources;
        int SourceStart(int normalizedIndex) => normalizedIndex == length ? text.Length : map[normalizedIndex];
        return new TextMatch(
            bestChain, w, start,
            SourceStart(start),
            SourceStart(bestEnd),
            SourceStart(Math.Max(0, start - (w - 1))),
            SourceStart(Math.Min(length, bestEnd + w - 1)),
            bestChain >= RequiredChunks,
            Attribution.DocumentOf(scanner.LongestHash));
    }

    /// <summary>
    /// A matcher for one streamed text (one choice of one response). With <paramref name="holdBack"/>, the caller
    /// forwards only what the matcher releases, <see cref="HoldBackCharacters"/> normalised characters behind, so
    /// not one character of a stopped span is sent.
    /// </summary>
    public ProtectedTextStreamMatcher CreateStreamMatcher(bool holdBack = false) => new(this, holdBack);

    /// <summary>
    /// Normalised characters a hold-back stream keeps unsent: c·w + w − 1, the longest stretch that can precede the
    /// completion of a stopping chain and belong to the copy (149 for the defaults).
    /// </summary>
    public int HoldBackCharacters => RequiredChunks * NgramWidth + NgramWidth - 1;

    private static ProtectedTextIndexOptions CheckOptions(ProtectedTextIndexOptions options)
    {
        OptionsCheck.ThrowIfInvalid(new ProtectedTextIndexOptionsValidator(), options, ProtectedTextIndexOptions.SectionName);
        return options;
    }

    internal static BloomFilter CreateFilter(ProtectedTextIndexOptions options)
    {
        CheckOptions(options);
        return new BloomFilter(BloomSizing.Bits(options.ExpectedNgrams, options.FalsePositiveRate));
    }
}
