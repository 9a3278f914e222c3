using System.Collections.Concurrent;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Receipts;
using GenSafety.Watermarking.Text.Lexical;
using GenSafety.Watermarking.Text.Unigram;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// The compiled provenance state shared by every request: the key ring (from the master key), the text schemes, the
/// image scheme and the receipt service. Built once; the master key is read here and nowhere else.
/// </summary>
internal sealed class ProvenanceSchemes
{
    private readonly UnigramBiasOptions _unigramOptions;
    private readonly ConcurrentDictionary<string, Lazy<UnigramBiasScheme>> _unigram = new(StringComparer.Ordinal);

    public ProvenanceSchemes(
        IOptions<ProvenanceOptions> options, IOptions<KeyRingOptions> keyRing, IOptions<UnigramBiasOptions> unigram, IOptions<LexicalOptions> lexical,
        IOptions<ImageWatermarkOptions> image, TimeProvider time)
    {
        Options = options.Value;
        _unigramOptions = unigram.Value;
        if (!Options.Enabled)
        {
            return;
        }

        var master = WatermarkMasterKey.FromBase64(Options.ResolveMasterKey()!);
        KeyRing = new WatermarkKeyRing(master, keyRing.Value, time);
        Lexical = new LexicalScheme(lexical.Value, SynonymLexicon.Shared);
        Receipts = new ReceiptService(KeyRing);
        if (Options.MarkImages)
        {
            ImageOptions = image.Value;
            ImageEmbedder = new ImageWatermarkEmbedder(image.Value);
            ImageDetector = new ImageWatermarkDetector(image.Value);
        }
    }

    /// <summary>The validated options.</summary>
    public ProvenanceOptions Options { get; }

    /// <summary>The <c>unigram-bias</c> settings (encodings and δ per model).</summary>
    public UnigramBiasOptions UnigramOptions => _unigramOptions;

    /// <summary>Whether provenance is on (then <see cref="KeyRing"/>, <see cref="Lexical"/> and <see cref="Receipts"/> are set).</summary>
    public bool Enabled => KeyRing is not null;

    /// <summary>Per-tenant, per-epoch keys.</summary>
    public WatermarkKeyRing? KeyRing { get; }

    /// <summary>The <c>lexical</c> scheme.</summary>
    public LexicalScheme? Lexical { get; }

    /// <summary>Receipt signing and checking.</summary>
    public ReceiptService? Receipts { get; }

    /// <summary>Whether images are marked and <c>/v1/verify/image</c> is served (then the image members are set).</summary>
    public bool ImagesEnabled => ImageEmbedder is not null;

    /// <summary>The <c>image-qim</c> settings.</summary>
    public ImageWatermarkOptions? ImageOptions { get; }

    /// <summary>The <c>image-qim</c> embedder.</summary>
    public ImageWatermarkEmbedder? ImageEmbedder { get; }

    /// <summary>The <c>image-qim</c> detector.</summary>
    public ImageWatermarkDetector? ImageDetector { get; }

    /// <summary>The <c>unigram-bias</c> scheme for <paramref name="model"/>'s tokenizer (built on first use, then shared).</summary>
    public UnigramBiasScheme UnigramFor(string? model)
    {
        var encoding = model is null ? _unigramOptions.DefaultEncoding : _unigramOptions.EncodingFor(model);
        return _unigram.GetOrAdd(encoding, static (name, options) => new Lazy<UnigramBiasScheme>(
            () => new UnigramBiasScheme(options, TokenVocabulary.ForEncoding(name))), _unigramOptions).Value;
    }
}
