using GenSafety.Gateway.Hosting;

namespace GenSafety.Gateway.Health;

/// <summary>Maps <c>/healthz</c> (liveness) and <c>/readyz</c> (readiness) on the admin listener.</summary>
public static class HealthEndpoints
{
    /// <summary>Adds the probes.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new { status = "alive" })).WithMetadata(AdminListenerMetadata.Instance);
        endpoints.MapGet("/readyz", ReadyAsync).WithMetadata(AdminListenerMetadata.Instance);
        return endpoints;
    }

    private static async Task<IResult> ReadyAsync(ReadinessProbe probe, HttpContext context)
    {
        var report = await probe.CheckAsync(context.RequestAborted);
        var body = new
        {
            status = !report.Ready ? "unready" : report.Degraded ? "degraded" : "ready",
            state_store = new
            {
                kind = report.StateStore.Kind,
                healthy = report.StateStore.Healthy,
                latency_ms = Math.Round(report.StateStore.Latency.TotalMilliseconds, 3),
                error = report.StateStore.Error,
            },
            upstreams = report.Upstreams.Select(u => new { cluster = u.ClusterId, healthy = u.HealthyDestinations, total = u.TotalDestinations }),
            detection = report.Detection is not { } d ? null : new
            {
                enabled = d.Enabled,
                detectors = d.Detectors,
                embedder = d.Embedder,
                tenant_embedders = d.TenantEmbedders,
                execution_provider = d.ExecutionProvider,
                queue_depth = d.QueueDepth,
                queue_capacity = d.QueueCapacity,
                detector_status = d.DetectorStatus,
                fusion = d.Fusion,
                learned_scorer = d.LearnedScorer is not { } l ? null : new
                {
                    version = l.Version,
                    sha256 = l.Sha256,
                    source = l.Source,
                    execution_provider = l.ExecutionProvider,
                    window = l.Window,
                    loaded_at = l.LoadedAt,
                    last_error = l.LastError,
                },
            },
        };
        return Results.Json(body, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
