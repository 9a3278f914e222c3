namespace GenSafety.Gateway.Memorization;

/// <summary>
/// The gateway side of the memorization guard (section <see cref="SectionName"/>): whether outputs are checked
/// against the protected corpora, what happens on a hit, and where the corpora come from. The index itself is
/// tuned under <c>GenSafety:Memorization:Text</c> and <c>GenSafety:Memorization:Images</c> (library options);
/// <see cref="ThresholdChars"/> and <see cref="ImageMaxHammingDistance"/> set their thresholds.
/// </summary>
public sealed class MemorizationOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Memorization";

    /// <summary>Whether outputs and prompts are checked (the admin endpoints work either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Stop threshold in normalised characters (default 150): no verbatim span of this length of a protected document
    /// reaches the client. At least 2 × <c>Text:NgramWidth</c> − 1; it sets <c>Text:StopCharacters</c>.
    /// </summary>
    public int ThresholdChars { get; set; } = 150;

    /// <summary>What a non-streamed response with a hit becomes: <c>block</c> (an <c>output_blocked</c> error) or <c>redact</c> (the choice's text emptied, <c>finish_reason</c> <c>content_filter</c>).</summary>
    public string NonStreamingAction { get; set; } = MemorizationActions.Block;

    /// <summary>
    /// Streams release text only c·w + w − 1 normalised characters (149 by default: c = 2 n-grams of width w = 50) behind the upstream, so not
    /// one character of a stopped copy is sent, at the cost of that much latency. Off: fewer than
    /// <see cref="ThresholdChars"/> characters of a copy may be sent before the stop.
    /// </summary>
    public bool HoldBack { get; set; }

    /// <summary>A folder of protected text documents loaded at start-up: every <c>*.txt</c> file is one document, its id the file name without extension.</summary>
    public string? BulkTextPath { get; set; }

    /// <summary>A folder of protected images loaded at start-up (<c>.png .jpg .jpeg .webp .gif .bmp</c>), id = file name without extension.</summary>
    public string? BulkImagesPath { get; set; }

    /// <summary>Largest PDQ Hamming distance (of 256 bits) at which a generated image counts as a copy (default 31); it sets <c>Images:MaxDistance</c>.</summary>
    public int ImageMaxHammingDistance { get; set; } = 31;

    /// <summary>What an image response with a copy becomes: <c>block</c> (an <c>output_blocked</c> error) or <c>replace</c> (that image replaced by a blank one of the same size).</summary>
    public string ImageAction { get; set; } = MemorizationActions.Block;

    /// <summary>Whether prompts are checked for protected prefixes and repeat-forever (divergence) requests, raising the client's risk.</summary>
    public bool PromptCheck { get; set; } = true;

    /// <summary>
    /// Risk written (raise-only, source <c>memorization</c>) for a prompt carrying protected text, times the prefix
    /// detector's score (1 at the output threshold's length). Default 0.6: past degrade, short of proof-of-work.
    /// </summary>
    public double PrefixPromptRisk { get; set; } = 0.6;

    /// <summary>Risk written for a repeat-forever (divergence attack) prompt, times its score. Default 0.4: delay, so one such prompt is slowed, not refused.</summary>
    public double DivergencePromptRisk { get; set; } = 0.4;

    /// <summary>Risk written when an output diverged from a requested repetition (a likely training-data emission). Default 0.8: proof-of-work.</summary>
    public double DivergentOutputRisk { get; set; } = 0.8;

    /// <summary>
    /// Whether outputs returned with logprobs are searched for memorised runs (<c>MemorizedRunDetector</c>, settings in
    /// <c>GenSafety:Memorization:LogprobRuns</c>): a long near-certain, incompressible run is what recited training text
    /// looks like, and a client collecting such runs is extracting it. Default true.
    /// </summary>
    public bool LogprobRunCheck { get; set; } = true;

    /// <summary>Risk written for an output with a memorised logprob run, times the run's score (0.5–1). Default 0.5: delay, degrade from a run of twice the minimum length.</summary>
    public double MemorizedRunRisk { get; set; } = 0.5;

    /// <summary>
    /// Whether generated images are compared with each other for a memorised prompt: the <c>n</c> images of one response,
    /// and each image with those generated for the same prompt in the tenant within <see cref="ImagePromptWindow"/> (other
    /// seeds, or none given). A model that regenerates the same picture whatever the seed has memorised it. Default true.
    /// </summary>
    public bool ImagePromptCheck { get; set; } = true;

    /// <summary>PDQ distance at or below which two generated images count as the same picture. Default 31 (as <see cref="ImageMaxHammingDistance"/>).</summary>
    public int ImagePromptMaxDistance { get; set; } = 31;

    /// <summary>How long a prompt's generated images are remembered for the comparison across requests. Default 1 hour.</summary>
    public TimeSpan ImagePromptWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Prompts remembered per replica (the oldest go first). Default 10,000 (≈ 1 MB).</summary>
    public int ImagePromptCapacity { get; set; } = 10_000;

    /// <summary>Risk written for a request whose images show a memorised prompt. Default 0.4: delay (an innocent user may name a famous picture).</summary>
    public double MemorizedImagePromptRisk { get; set; } = 0.4;

    /// <summary>Largest body of <c>POST /admin/protected/text</c> and <c>/images</c>, in bytes (default 32 MiB).</summary>
    public long MaxAdminBodyBytes { get; set; } = 32L << 20;

    /// <summary>Most documents or images in one admin request (default 1,000).</summary>
    public int MaxItemsPerRequest { get; set; } = 1000;

    /// <summary>Longest protected document in characters (default 4,194,304).</summary>
    public int MaxDocumentChars { get; set; } = 4 << 20;

    /// <summary>How often a replica compares its corpus version with Redis, in case a change notice was missed (default 30 s).</summary>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
