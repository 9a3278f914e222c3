using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace GenSafety.ReferenceModel.Text;

/// <summary>The cl100k_base tokenizer, shared by the whole process, with per-token bytes and display strings.</summary>
internal sealed class Cl100kTokenizer
{
    private static readonly Lazy<Cl100kTokenizer> LazyShared = new(() => new Cl100kTokenizer());

    private readonly TiktokenTokenizer _tokenizer;
    private readonly byte[][] _bytes;
    private readonly string?[] _strings;

    private Cl100kTokenizer()
    {
        _tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");
        var ranks = LoadRanks();
        EndOfDocument = _tokenizer.SpecialTokens!["<|endoftext|>"];
        OrdinaryTokenCount = ranks.Count;
        IdLimit = Math.Max(ranks.Count, _tokenizer.SpecialTokens.Values.Max() + 1);
        _bytes = new byte[IdLimit][];
        foreach (var (id, bytes) in ranks)
        {
            _bytes[id] = bytes;
        }

        foreach (var (text, id) in _tokenizer.SpecialTokens)
        {
            _bytes[id] = Encoding.UTF8.GetBytes(text);
        }

        _strings = new string?[IdLimit];
    }

    /// <summary>The process-wide instance.</summary>
    public static Cl100kTokenizer Shared => LazyShared.Value;

    /// <summary>The <c>&lt;|endoftext|&gt;</c> token: separates training documents and ends generation.</summary>
    public int EndOfDocument { get; }

    /// <summary>One more than the largest token id (ordinary or special).</summary>
    public int IdLimit { get; }

    /// <summary>Number of ordinary (byte-pair) tokens; their ids are 0..OrdinaryTokenCount-1.</summary>
    public int OrdinaryTokenCount { get; }

    /// <summary>Whether <paramref name="id"/> names a token the model can emit (an ordinary token or end-of-document).</summary>
    public bool IsValid(int id) => id == EndOfDocument || ((uint)id < (uint)OrdinaryTokenCount && _bytes[id] is not null);

    /// <summary>Token ids of <paramref name="text"/>.</summary>
    public IReadOnlyList<int> Encode(string text) => _tokenizer.EncodeToIds(text);

    /// <summary>Number of tokens in <paramref name="text"/>.</summary>
    public int CountTokens(string text) => _tokenizer.CountTokens(text);

    /// <summary>Decodes a token sequence (bytes are joined before UTF-8 decoding).</summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>(ids.Count * 4);
        foreach (var id in ids)
        {
            bytes.AddRange(_bytes[id]);
        }

        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>The UTF-8 bytes of one token.</summary>
    public ReadOnlySpan<byte> GetBytes(int id) => _bytes[id];

    /// <summary>
    /// Token bytes by id, read from the cl100k_base rank file that the Data.Cl100kBase package embeds
    /// (deflate-compressed lines of base64 token bytes): the tokenizer itself does not expose raw token bytes.
    /// </summary>
    private static Dictionary<int, byte[]> LoadRanks()
    {
        var assembly = System.Reflection.Assembly.Load("Microsoft.ML.Tokenizers.Data.Cl100kBase");
        using var resource = assembly.GetManifestResourceStream("cl100k_base.tiktoken.deflate")
            ?? throw new InvalidDataException("cl100k_base.tiktoken.deflate not found.");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.UTF8);
        var ranks = new Dictionary<int, byte[]>(100_300);
        var rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            // Either "base64 rank" (tiktoken format) or just "base64" with the rank implied by the line number.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                rank = int.Parse(line.AsSpan(space + 1), CultureInfo.InvariantCulture);
                line = line[..space];
            }

            ranks[rank++] = Convert.FromBase64String(line);
        }

        return ranks;
    }

    /// <summary>One token decoded on its own (partial UTF-8 sequences become U+FFFD), cached.</summary>
    public string GetString(int id) => _strings[id] ??= Encoding.UTF8.GetString(_bytes[id]);
}
