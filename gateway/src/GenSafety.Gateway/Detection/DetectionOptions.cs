using GenSafety.Detectors.Embeddings;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Settings of the observation pipeline, bound from <c>GenSafety:Detection</c> (environment:
/// <c>GenSafety__Detection__QueueCapacity</c> and so on). Each detector's own settings live under
/// <c>GenSafety:Detection:Detectors:{name}</c>. See <c>docs/detection.md</c>.
/// </summary>
public sealed class DetectionOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "GenSafety:Detection";

    /// <summary>Section of the per-detector settings (<c>{name}:Enabled</c>, <c>{name}:Weight</c> and the detector's own keys).</summary>
    public const string DetectorsSection = SectionName + ":Detectors";

    /// <summary>Whether exchanges are observed at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Observations the queue holds before new ones are shed. Default 4096.</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Most events per micro-batch. Default 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Longest a micro-batch waits to fill up after its first event. Default 50 ms.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a client's detector state lives after its last write. Default 1 day.</summary>
    public TimeSpan StateTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Embedder of prompt vectors (<c>hashing</c> or <c>minilm</c>) for tenants without their own. Default <c>hashing</c>.</summary>
    public string Embedder { get; set; } = EmbedderNames.Hashing;

    /// <summary>Per-tenant settings (<c>GenSafety:Detection:Tenants:{tenant}:Embedder</c>).</summary>
    public Dictionary<string, DetectionTenantOptions> Tenants { get; } = new(StringComparer.Ordinal);

    /// <summary>Name of the fusion that turns detector scores into risk (<c>analytic</c>). Default <c>analytic</c>.</summary>
    public string Fusion { get; set; } = "analytic";

    /// <summary>
    /// Fused risk below which nothing is written to the enforcement state (keeps benign clients out of Redis writes).
    /// Default 0.05.
    /// </summary>
    public double RiskFloor { get; set; } = 0.05;

    /// <summary>Per-detector settings by detector name.</summary>
    public Dictionary<string, DetectorSettings> Detectors { get; } = new(StringComparer.Ordinal);

    /// <summary>The embedder name for <paramref name="tenant"/>.</summary>
    public string EmbedderFor(string tenant)
        => Tenants.TryGetValue(tenant, out var settings) && !string.IsNullOrEmpty(settings.Embedder) ? settings.Embedder : Embedder;
}

/// <summary>One tenant's detection settings.</summary>
public sealed class DetectionTenantOptions
{
    /// <summary>Embedder of this tenant's prompt vectors; unset: <see cref="DetectionOptions.Embedder"/>.</summary>
    public string? Embedder { get; set; }
}

/// <summary>The settings every detector has (<c>GenSafety:Detection:Detectors:{name}</c>).</summary>
public sealed class DetectorSettings
{
    /// <summary>Whether the detector runs; unset: the detector's registered default.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Weight in [0, 1] of the detector's score in the fusion. Default 1.</summary>
    public double Weight { get; set; } = 1;
}
