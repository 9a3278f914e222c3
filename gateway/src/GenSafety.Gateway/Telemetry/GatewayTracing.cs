using System.Diagnostics;

namespace GenSafety.Gateway.Telemetry;

/// <summary>
/// The gateway's one <see cref="ActivitySource"/> (<c>GenSafety.Gateway</c>) and the names of its spans. Spans cost
/// nothing unless a listener (the OpenTelemetry SDK, see <see cref="GatewayOpenTelemetry"/>) samples them.
/// </summary>
public static class GatewayTracing
{
    /// <summary>Name of the activity source, for <c>AddSource</c>.</summary>
    public const string SourceName = "GenSafety.Gateway";

    /// <summary>Client key check (cache, then state store).</summary>
    public const string Identity = "gensafety.identity";

    /// <summary>The admission round trip: limits, enforcement level, proof-of-work.</summary>
    public const string Admission = "gensafety.admission";

    /// <summary>Request rewrite for the client's level and the route's rules.</summary>
    public const string Shaping = "gensafety.shaping";

    /// <summary>Waiting on the upstream for response headers.</summary>
    public const string Upstream = "gensafety.upstream";

    /// <summary>One JSON response transform (tag <c>gensafety.transform</c> names it).</summary>
    public const string Transform = "gensafety.transform";

    /// <summary>A streamed response pumped through the stream transforms.</summary>
    public const string Stream = "gensafety.stream";

    /// <summary>One detection micro-batch, off the request path.</summary>
    public const string DetectionBatch = "gensafety.detection.batch";

    /// <summary>Prompt embedding inside a detection batch (ONNX for MiniLM).</summary>
    public const string DetectionEmbed = "gensafety.detection.embed";

    /// <summary>The query-stream detectors inside a detection batch.</summary>
    public const string DetectionDetectors = "gensafety.detection.detectors";

    /// <summary>The source every gateway span comes from.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(GatewayTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts an internal span, or returns null when nobody listens (the common, free case).</summary>
    public static Activity? Start(string name) => Source.StartActivity(name, ActivityKind.Internal);
}
