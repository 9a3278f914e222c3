using System.Collections.Concurrent;
using System.IO.Compression;
using GenSafety.Watermarking.Corpus;
using Microsoft.ML.Tokenizers;

namespace GenSafety.Watermarking.Text.Unigram;

/// <summary>
/// A model's tokenizer with its ordinary-token count and a frequency ranking of its tokens. The ranking counts the
/// tokens of the shipped human-written corpus (<see cref="ShippedText.HumanDocuments"/>); tokens that never occur
/// there follow in id order, which for tiktoken encodings is the BPE merge rank (earlier merges are more frequent
/// pairs). Marks and detection must use the same ranking, so it depends only on shipped data.
/// </summary>
public sealed class TokenVocabulary
{
    /// <summary>The default encoding (OpenAI's GPT-3.5/GPT-4 tokenizer).</summary>
    public const string Cl100kBase = "cl100k_base";

    /// <summary>The GPT-4o encoding.</summary>
    public const string O200kBase = "o200k_base";

    private static readonly ConcurrentDictionary<string, Lazy<TokenVocabulary>> Shared = new(StringComparer.Ordinal);

    private readonly int[] _ranked;

    private TokenVocabulary(string encoding, TiktokenTokenizer tokenizer)
    {
        Encoding = encoding;
        Tokenizer = tokenizer;
        Size = CountOrdinaryTokens(encoding);
        _ranked = RankByFrequency(tokenizer, Size);
    }

    /// <summary>Encoding name (<see cref="Cl100kBase"/> or <see cref="O200kBase"/>).</summary>
    public string Encoding { get; }

    /// <summary>The tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>One more than the largest ordinary token id (special tokens are never scored or biased).</summary>
    public int Size { get; }

    /// <summary>Ordinary token ids, most frequent first.</summary>
    public ReadOnlySpan<int> RankedTokens => _ranked;

    /// <summary>Names of the encodings this build can load.</summary>
    public static IReadOnlyList<string> SupportedEncodings { get; } = [Cl100kBase, O200kBase];

    /// <summary>The process-wide vocabulary of an encoding (loaded and ranked once, then shared).</summary>
    /// <exception cref="ArgumentException">The encoding is not one of <see cref="SupportedEncodings"/>.</exception>
    public static TokenVocabulary ForEncoding(string encoding)
    {
        if (!SupportedEncodings.Contains(encoding, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Unknown tokenizer encoding '{encoding}'; supported: {string.Join(", ", SupportedEncodings)}.", nameof(encoding));
        }

        return Shared.GetOrAdd(encoding, static name => new Lazy<TokenVocabulary>(
            () => new TokenVocabulary(name, TiktokenTokenizer.CreateForEncoding(name)))).Value;
    }

    /// <summary>
    /// Counts the ordinary tokens of an encoding from the rank file its data package embeds (one base64 token per line,
    /// ids dense from 0): the tokenizer does not expose its vocabulary size.
    /// </summary>
    private static int CountOrdinaryTokens(string encoding)
    {
        var package = encoding == Cl100kBase ? "Microsoft.ML.Tokenizers.Data.Cl100kBase" : "Microsoft.ML.Tokenizers.Data.O200kBase";
        var assembly = System.Reflection.Assembly.Load(package);
        var name = encoding + ".tiktoken.deflate";
        using var resource = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidDataException($"{name} not found in {package}.");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, System.Text.Encoding.UTF8);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private static int[] RankByFrequency(Tokenizer tokenizer, int size)
    {
        var counts = new int[size];
        foreach (var document in ShippedText.HumanDocuments)
        {
            foreach (var id in tokenizer.EncodeToIds(document))
            {
                if ((uint)id < (uint)size)
                {
                    counts[id]++;
                }
            }
        }

        var ranked = Enumerable.Range(0, size).ToArray();
        // Stable: equal counts (including all never-seen tokens) keep id order, i.e. merge rank.
        Array.Sort(ranked, (a, b) => counts[b] != counts[a] ? counts[b].CompareTo(counts[a]) : a.CompareTo(b));
        return ranked;
    }
}
