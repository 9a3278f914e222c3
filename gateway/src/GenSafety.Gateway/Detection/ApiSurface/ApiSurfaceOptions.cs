namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>
/// Settings of the <c>api-surface</c> detector, bound from <c>GenSafety:Detection:Detectors:api-surface</c>. The
/// window is the client's last <see cref="WindowRequests"/> requests no older than <see cref="Window"/>. The score
/// formula is in <see cref="ApiSurfaceScore"/> and docs/detection.md.
/// </summary>
public sealed class ApiSurfaceOptions
{
    /// <summary>Requests kept per client (the sliding window's length). Default 512; state grows by 8 bytes per request.</summary>
    public int WindowRequests { get; set; } = 512;

    /// <summary>Age beyond which requests leave the window (and distinct-id sketches are renewed, in halves). Default 1 hour.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Requests in the window at which the score reaches full confidence (it is scaled by n / MinRequests below). Default 20.</summary>
    public int MinRequests { get; set; } = 20;

    /// <summary>|bias| from which a <c>logit_bias</c> entry counts as extreme. Default 50 (the API range is −100 … 100).</summary>
    public double ExtremeBias { get; set; } = 50;

    /// <summary>A request with logprobs and <c>max_tokens</c> at most this is a logit probe. Default 2.</summary>
    public int ProbeMaxTokens { get; set; } = 2;

    /// <summary>Distinct biased token ids in the window below which no sweep is counted. Default 16.</summary>
    public int MinSweepIds { get; set; } = 16;

    /// <summary>Distinct biased ids for one prompt below which no per-prompt sweep is counted. Default 8.</summary>
    public int MinPromptSweepIds { get; set; } = 8;

    /// <summary>Sweeps (distinct ids ÷ ids per request) that count nothing; benign apps reuse one bias set (≈ 1 sweep). Default 2.</summary>
    public double FreeSweeps { get; set; } = 2;

    /// <summary>Sweeps at which the sweep term reaches 1. Default 64.</summary>
    public double SaturatingSweeps { get; set; } = 64;

    /// <summary>Sweeps over one prompt at which the per-prompt term reaches 1 (it starts at <see cref="FreeSweeps"/>). Default 32.</summary>
    public double SaturatingPromptSweeps { get; set; } = 32;

    /// <summary>
    /// A prompt coming back with a new bias set counts as a re-sweep from its <c>ResweepAfter</c>-th change on (so an app
    /// that asks one text against two label sets is not counted). Default 3.
    /// </summary>
    public int ResweepAfter { get; set; } = 3;

    /// <summary>Relative tolerance around ½ for two successive bias changes of one token to count as a halving (bisection) step. Default 0.1.</summary>
    public double BisectionTolerance { get; set; } = 0.1;

    /// <summary>
    /// Share of the evidence that counts without extreme biases or logit probes: the surface factor is
    /// <c>SurfaceBase + (1 − SurfaceBase)·max(extreme share, probe share)</c>. Default 0.6.
    /// </summary>
    public double SurfaceBase { get; set; } = 0.6;

    /// <summary>Prompts (by hash) tracked at once, least recently seen replaced first; 96 bytes each. Default 32.</summary>
    public int PromptSlots { get; set; } = 32;
}
