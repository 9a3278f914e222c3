namespace GenSafety.Gateway.Detection.Sybil;

/// <summary>
/// Settings of sybil linking in the pipeline, bound from <c>GenSafety:Detection:SybilLinking</c> (next to the
/// library's <c>SybilLinkOptions</c> — TemplateWeight, CoverageWeight, TimingWeight, LinkThreshold,
/// MinActiveMinutes — bound from the same section). See docs/detection.md.
/// </summary>
public sealed class SybilLinkingOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = DetectionOptions.SectionName + ":SybilLinking";

    /// <summary>Source and actor of the risk written to linked members.</summary>
    public const string Source = "sybil-link";

    /// <summary>Whether linking runs (it also needs the <c>harvesting</c> detector, whose states it compares). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two linking passes over each tenant, 1 s to 1 h. Default 1 minute.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Clients seen within this long count as active, 1 minute to 1 day. Default 1 hour (the timing evidence's span).</summary>
    public TimeSpan ActiveWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Most recently active clients per tenant kept and compared per pass (pairs grow with its square), 2 to 2000.
    /// Default 200.
    /// </summary>
    public int MaxClients { get; set; } = 200;

    /// <summary>
    /// Added to a link's score when both clients last came from the same source network (IPv4 /24, IPv6 /48), [0, 1].
    /// Small by default: unrelated users share networks (NAT, campus, cloud egress — and every client of a test on
    /// loopback), so a shared network only tips links that templates, coverage and timing already almost make.
    /// Default 0.05.
    /// </summary>
    public double NetworkWeight { get; set; } = 0.05;

    /// <summary>
    /// A cluster's highest member risk at or above which it is written to the other members, (0, 1]. Default 0.3 (L1):
    /// below it there is nothing worth spreading.
    /// </summary>
    public double MinClusterRisk { get; set; } = 0.3;
}
