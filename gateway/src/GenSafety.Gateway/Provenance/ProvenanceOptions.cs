using GenSafety.Gateway.Hosting;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Output provenance settings, section <c>GenSafety:Watermarking</c>: text watermarks per tenant, signed receipts and
/// the provenance ledger. Key rotation and the schemes' own parameters live in the library's sub-sections
/// (<c>Keys</c>, <c>UnigramBias</c>, <c>Lexical</c>). The master key comes from the environment
/// (<c>GenSafety__Watermarking__MasterKey</c>) or a secret file, never from the appsettings in the repository.
/// </summary>
public sealed class ProvenanceOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Watermarking";

    /// <summary>The only receipt algorithm built (HMAC-SHA256 compact JWS).</summary>
    public const string Hs256 = "HS256";

    /// <summary>Whether responses are marked, recorded and given receipts, and <c>/v1/verify/text</c> is served. Default off.</summary>
    public bool Enabled { get; set; }

    /// <summary>The master secret, base64 (at least 32 bytes). Prefer <see cref="MasterKeyFile"/> or the environment.</summary>
    public string? MasterKey { get; set; }

    /// <summary>File holding the base64 master secret (a mounted Kubernetes secret); used when <see cref="MasterKey"/> is empty.</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>
    /// Scheme of tenants not listed in <see cref="TenantSchemes"/>: <c>unigram-bias</c>, <c>lexical</c> or <c>none</c>.
    /// Default <c>none</c>: outputs are recorded and get receipts but their text is not changed until a scheme is chosen.
    /// </summary>
    public string DefaultScheme { get; set; } = WatermarkSchemeNames.None;

    /// <summary>Scheme per tenant (exact tenant name → scheme name).</summary>
    public Dictionary<string, string> TenantSchemes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether returned embeddings of tenants not listed in <see cref="TenantRotateEmbeddings"/> go through their
    /// tenant's keyed orthogonal rotation (B4B's defence against pooling answers across keys; cosine similarities
    /// within a tenant are kept). Default false. Turning it on for a tenant with stored vectors breaks their
    /// comparison with new ones: re-embed, or enable it from the start.
    /// </summary>
    public bool RotateEmbeddings { get; set; }

    /// <summary>Per-tenant override of <see cref="RotateEmbeddings"/>.</summary>
    public Dictionary<string, bool> TenantRotateEmbeddings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Receipt signature algorithm; only <c>HS256</c> is built (see docs/watermarking.md).</summary>
    public string ReceiptAlgorithm { get; set; } = Hs256;

    /// <summary>Whether non-streamed responses carry <c>x-gensafety-receipt</c> (streams: opt-in per request). Default on.</summary>
    public bool Receipts { get; set; } = true;

    /// <summary>How long ledger records and their indexes live. Default 90 days.</summary>
    public TimeSpan LedgerRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Estimated Jaccard similarity of word 5-grams from which a ledger record counts as a near-duplicate. Default 0.5.</summary>
    public double NearDuplicateThreshold { get; set; } = 0.5;

    /// <summary>Most ledger candidates read per LSH band on verification (bounds work per request). Default 20.</summary>
    public int MaxCandidatesPerBand { get; set; } = 20;

    /// <summary>
    /// Most delivered outputs waiting for their ledger write (each holds its text until written). Over it a record is
    /// shed (counted in <c>gensafety.provenance.ledger.shed</c>) rather than delaying a response. Default 4,096 (memory:
    /// the queued texts, about capacity × 2 bytes × average output length when the ledger falls behind).
    /// </summary>
    public int LedgerQueueCapacity { get; set; } = 4_096;

    /// <summary>Most records written in one ledger call (one Redis script). Default 64.</summary>
    public int LedgerBatchSize { get; set; } = 64;

    /// <summary>How long shutdown waits for queued records to be written. Default 5 seconds.</summary>
    public TimeSpan LedgerDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest text <c>/v1/verify/text</c> accepts, in characters. Default 100,000.</summary>
    public int MaxVerifyTextCharacters { get; set; } = 100_000;

    /// <summary>False-positive rate of the verification verdict's watermark test (family-wise over schemes and keys). Default 1e-3.</summary>
    public double VerifyFalsePositiveRate { get; set; } = 1e-3;

    /// <summary>
    /// Whether <c>b64_json</c> images of <c>/v1/images/generations</c> responses are marked (<c>image-qim</c>, the scheme's
    /// own settings in <c>GenSafety:Watermarking:Image</c>), recorded and given receipts, and <c>/v1/verify/image</c> is
    /// served. Default on (with <see cref="Enabled"/>).
    /// </summary>
    public bool MarkImages { get; set; } = true;

    /// <summary>
    /// Largest Hamming distance between PDQ hashes (of 256 bits) at which <c>/v1/verify/image</c> counts a ledger image as
    /// a near-duplicate. Default 31, as the memorization filter's: re-encodes and resizes land well below it, unrelated
    /// images near 128.
    /// </summary>
    public int ImageMaxHammingDistance { get; set; } = 31;

    /// <summary>Largest image <c>/v1/verify/image</c> accepts, in decoded bytes. Default 20 MiB.</summary>
    public int MaxVerifyImageBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The scheme configured for <paramref name="tenant"/>.</summary>
    public string SchemeFor(string tenant) => TenantSchemes.TryGetValue(tenant, out var scheme) ? scheme : DefaultScheme;

    /// <summary>Whether <paramref name="tenant"/>'s embeddings are rotated.</summary>
    public bool RotatesEmbeddings(string tenant) => TenantRotateEmbeddings.TryGetValue(tenant, out var rotate) ? rotate : RotateEmbeddings;

    /// <summary>The master key text: <see cref="MasterKey"/>, else the content of <see cref="MasterKeyFile"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is named but cannot be read.</exception>
    public string? ResolveMasterKey() => SecretFile.Resolve(MasterKey, MasterKeyFile, SectionName + ":MasterKey");
}
