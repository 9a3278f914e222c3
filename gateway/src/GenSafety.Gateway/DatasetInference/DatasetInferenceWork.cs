namespace GenSafety.Gateway.DatasetInference;

/// <summary>A job handed to the worker, with its documents (kept in memory only while it runs).</summary>
/// <param name="Job">The stored job.</param>
/// <param name="Model">The model to score.</param>
/// <param name="SuspectChunks">Suspect chunks.</param>
/// <param name="HeldoutChunks">Held-out chunks.</param>
/// <param name="Context">Counts for the report.</param>
/// <param name="Alpha">Significance level.</param>
/// <param name="Seed">Seed of the splits and perturbations.</param>
internal sealed record DatasetInferenceWork(
    DatasetInferenceJob Job, string Model, IReadOnlyList<string> SuspectChunks, IReadOnlyList<string> HeldoutChunks, ReportContext Context, double Alpha, ulong Seed);
