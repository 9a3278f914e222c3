using BenchmarkDotNet.Attributes;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Receipts;
using GenSafety.Watermarking.Text.Lexical;
using GenSafety.Watermarking.Text.Unigram;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>Per-response costs on 1,000-character human-written texts (one text per call, rotating over 64).</summary>
[MemoryDiagnoser]
public class TextWatermarkBenchmarks
{
    private const int ChunkCharacters = 20;

    private string[] _texts = [];
    private LexicalScheme _lexical = null!;
    private UnigramBiasScheme _unigram = null!;
    private ReceiptService _receipts = null!;
    private WatermarkKey _lexicalKey = null!;
    private WatermarkKey _unigramKey = null!;
    private WatermarkKeyRing _ring = null!;
    private int _next;
    private int _newKeys;

    [GlobalSetup]
    public void Setup()
    {
        _texts = ShippedText.HumanDocuments.Take(64).Select(d => d[..1000]).ToArray();
        _ring = new WatermarkKeyRing(WatermarkMasterKey.FromBytes(new byte[32]), new KeyRingOptions(), TimeProvider.System);
        _lexical = new LexicalScheme(new LexicalOptions(), SynonymLexicon.Shared);
        _unigram = new UnigramBiasScheme(new UnigramBiasOptions(), TokenVocabulary.ForEncoding(TokenVocabulary.Cl100kBase));
        _receipts = new ReceiptService(_ring);
        _lexicalKey = _ring.Current("bench", KeyPurpose.Lexical);
        _unigramKey = _ring.Current("bench", KeyPurpose.UnigramBias);
        _unigram.Plan(_unigramKey, null);
    }

    private string NextText() => _texts[_next++ & 63];

    /// <summary>Post-hoc lexical mark of a whole response.</summary>
    [Benchmark]
    public string LexicalMark() => _lexical.Mark(NextText(), _lexicalKey);

    /// <summary>The same response streamed in 20-character deltas.</summary>
    [Benchmark]
    public int LexicalMarkStreamed()
    {
        var text = NextText();
        var stream = _lexical.BeginStream(_lexicalKey);
        var sent = 0;
        for (var i = 0; i < text.Length; i += ChunkCharacters)
        {
            sent += stream.Append(text.Substring(i, Math.Min(ChunkCharacters, text.Length - i))).Length;
        }

        return sent + stream.Complete().Length;
    }

    /// <summary>Lexical detection under one key.</summary>
    [Benchmark]
    public double LexicalDetect() => _lexical.Detect(NextText(), _lexicalKey).PValue;

    /// <summary>The logit_bias plan of a request (green list cached for the key).</summary>
    [Benchmark]
    public int UnigramPlan() => _unigram.Plan(_unigramKey, null).Entries.Count;

    /// <summary>Unigram-bias detection under one key (tokenization included).</summary>
    [Benchmark]
    public double UnigramDetect() => _unigram.Detect(NextText(), _unigramKey).PValue;

    /// <summary>The green list of a key seen for the first time (once per tenant and epoch per process).</summary>
    [Benchmark]
    public bool UnigramGreenListNewKey() => new GreenList(_ring.Current("tenant-" + _newKeys++, KeyPurpose.UnigramBias), 100_256, 0.25).IsGreen(0);

    /// <summary>Normalised SHA-256 and HS256 receipt of a response.</summary>
    [Benchmark]
    public string ReceiptIssue() => _receipts.Issue(NextText(), "model", DateTimeOffset.UnixEpoch, "record");

    /// <summary>Ledger sketch of a response: MinHash of word 5-grams and its LSH band keys.</summary>
    [Benchmark]
    public int LedgerSketch() => LshBands.Keys(MinHashSketch.Compute(NextText())).Length;
}
