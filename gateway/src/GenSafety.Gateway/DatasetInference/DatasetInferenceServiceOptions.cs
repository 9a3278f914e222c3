using GenSafety.Detectors.DatasetInference;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// Dataset inference for rights holders (section <c>GenSafety:DatasetInference</c>): how documents are scored on the
/// upstream (prompt logprobs), what the jobs may cost, and how long reports are kept.
/// </summary>
public sealed class DatasetInferenceServiceOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:DatasetInference";

    /// <summary>Whether <c>/v1/dataset-inference</c> is served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Base address of the upstream that is scored (its <c>/v1/completions</c>); empty means the first destination of
    /// the YARP cluster <see cref="UpstreamCluster"/>.
    /// </summary>
    public Uri? UpstreamAddress { get; set; }

    /// <summary>YARP cluster whose first destination is the default upstream.</summary>
    public string UpstreamCluster { get; set; } = "upstream";

    /// <summary>Model name sent to the upstream; a job may name another.</summary>
    public string? Model { get; set; }

    /// <summary>Top alternatives per token asked for (OpenAI's legacy cap is 5); they feed the approximate Min-K%++.</summary>
    public int TopLogprobs { get; set; } = 5;

    /// <summary>
    /// Ask for exact distribution moments (<c>prompt_logprob_moments</c>, the reference model's extension) so Min-K%++
    /// is exact; only for upstreams that support it.
    /// </summary>
    public bool RequestMoments { get; set; }

    /// <summary>Optional reference model for the <c>ratio-reference</c> feature (an upstream trained on other data).</summary>
    public Uri? ReferenceAddress { get; set; }

    /// <summary>Model name for <see cref="ReferenceAddress"/>.</summary>
    public string? ReferenceModel { get; set; }

    /// <summary>Texts per upstream request.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Upstream requests per second, across all jobs of this replica.</summary>
    public double RequestsPerSecond { get; set; } = 10;

    /// <summary>Upstream requests in flight, across all jobs of this replica.</summary>
    public int MaxConcurrentRequests { get; set; } = 2;

    /// <summary>Longest wait for one upstream request.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most documents per set.</summary>
    public int MaxDocumentsPerSet { get; set; } = 1000;

    /// <summary>Longest document, in characters.</summary>
    public int MaxDocumentCharacters { get; set; } = 100_000;

    /// <summary>Largest request body.</summary>
    public long MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most upstream texts one job may score (documents × chunks × (1 + perturbations)); larger jobs are refused.</summary>
    public int MaxScoredTextsPerJob { get; set; } = 50_000;

    /// <summary>Jobs queued or running on this replica; more are refused with 429.</summary>
    public int MaxQueuedJobs { get; set; } = 8;

    /// <summary>
    /// The perturbations whose perplexity ratios are features. <c>Synonym</c> (Maini et al.'s synonym substitution,
    /// with the shipped WordNet lexicon of the watermarking library) is available but not in the default list.
    /// </summary>
    public List<TextPerturbationKind> Perturbations { get; set; } =
        [TextPerturbationKind.Typos, TextPerturbationKind.WordDeletion, TextPerturbationKind.CharacterCase, TextPerturbationKind.Whitespace, TextPerturbationKind.Underscore];

    /// <summary>How long jobs and reports are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
