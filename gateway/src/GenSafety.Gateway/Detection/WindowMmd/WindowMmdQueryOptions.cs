namespace GenSafety.Gateway.Detection.WindowMmd;

/// <summary>
/// Settings of the <c>window-mmd</c> detector, bound from <c>GenSafety:Detection:Detectors:window-mmd</c>. The detector
/// needs a benign reference per tenant (<see cref="Tenants"/>): a JSONL file of benign prompts, embedded at start with
/// the tenant's embedder; the MMD² threshold is calibrated on benign-vs-benign windows of the same file. A tenant
/// without a reference is not scored by this detector (<c>/readyz</c> says so). See docs/detection.md.
/// </summary>
public sealed class WindowMmdQueryOptions
{
    /// <summary>
    /// m: the client's latest query vectors compared with the reference, 8 to 1024. Default 48 (the library's is 64):
    /// the state stays under 8 KiB, so that every detector's state of one client fits in 64 KiB of Redis; the threshold
    /// is calibrated for the same m.
    /// </summary>
    public int WindowSize { get; set; } = 48;

    /// <summary>
    /// Per tenant, the reference: <c>Tenants:{tenant}:ReferencePath</c>, a UTF-8 JSONL file, one benign prompt a line:
    /// <c>{"stream":"user-17","text":"…"}</c>. <c>stream</c> names the benign client the prompt came from (prompts of
    /// one stream in the order sent); calibration draws windows of <see cref="WindowSize"/> consecutive prompts from
    /// streams that hold that many. 16 prompts at least; the reference keeps at most 4,096 (an even sample).
    /// </summary>
    public Dictionary<string, WindowMmdTenantOptions> Tenants { get; } = new(StringComparer.Ordinal);

    /// <summary>Share of benign windows allowed above the calibrated threshold, (0, 0.5]. Default 0.01.</summary>
    public double TargetFalsePositiveRate { get; set; } = 0.01;

    /// <summary>Benign windows drawn for calibration (at least 1 / <see cref="TargetFalsePositiveRate"/>, at most 100,000). Default 2000.</summary>
    public int CalibrationWindows { get; set; } = 2000;

    /// <summary>Seed of the calibration's window draws. Default 1.</summary>
    public ulong CalibrationSeed { get; set; } = 1;

    /// <summary>Gaussian kernel σ over stored unit vectors; 0 takes the median pairwise distance of the reference. Default 0.</summary>
    public double Bandwidth { get; set; }

    /// <summary>
    /// MMD² as a multiple of the calibrated threshold that scores 0.5 (L2 with the default ladder); the score is
    /// clamp(MMD² / (2 · AlarmRatio · threshold)). At 3 a benign window at the calibrated threshold scores 0.17, one at
    /// 1.8× the threshold reaches L1 (0.3), and 3× reaches L2. Above 0. Default 3.
    /// </summary>
    public double AlarmRatio { get; set; } = 3;
}

/// <summary>One tenant's window-MMD reference.</summary>
public sealed class WindowMmdTenantOptions
{
    /// <summary>Path of the tenant's JSONL file of benign prompts (see <see cref="WindowMmdQueryOptions.Tenants"/>).</summary>
    public string? ReferencePath { get; set; }
}
