using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace GenSafety.Gateway.Health;

/// <summary>What <c>/readyz</c> reports.</summary>
/// <param name="Ready">Whether the gateway should receive traffic.</param>
/// <param name="StateStore">State store health.</param>
/// <param name="Upstreams">Per-cluster destination health.</param>
public sealed record ReadinessReport(bool Ready, StateStoreHealth StateStore, IReadOnlyList<UpstreamClusterHealth> Upstreams)
{
    /// <summary>
    /// Serving without the shared store: Redis is unreachable and <c>GenSafety:Redis:FailureMode</c> is <c>open</c>, so
    /// limits are per replica and approximate. Still ready (the replica serves), reported as <c>degraded</c>.
    /// </summary>
    public bool Degraded { get; init; }

    /// <summary>Detection: detectors, prompt embedders, MiniLM's execution provider and the queue (null when not registered).</summary>
    public DetectionHealth? Detection { get; init; }
}

/// <summary>Health of one YARP cluster.</summary>
/// <param name="ClusterId">Cluster id.</param>
/// <param name="HealthyDestinations">Destinations not marked unhealthy by active or passive checks.</param>
/// <param name="TotalDestinations">All destinations.</param>
public sealed record UpstreamClusterHealth(string ClusterId, int HealthyDestinations, int TotalDestinations);

/// <summary>
/// Readiness: the state store answers (or the gateway runs in in-memory mode) and every cluster has at least one
/// destination that active and passive health checks have not marked unhealthy. With Redis down and the failure mode
/// <c>open</c> the replica stays ready and reports itself degraded.
/// </summary>
public sealed class ReadinessProbe
{
    private readonly IClientStateStore _store;
    private readonly IProxyStateLookup _proxyState;
    private readonly bool _failsOpen;
    private readonly DetectionStatus? _detection;

    /// <summary>Creates the probe; <paramref name="detection"/> adds the detection report when detection is registered.</summary>
    public ReadinessProbe(IClientStateStore store, IProxyStateLookup proxyState, IOptions<AdmissionOptions> admission, DetectionStatus? detection = null)
    {
        _store = store;
        _proxyState = proxyState;
        _failsOpen = admission.Value.FailsOpen;
        _detection = detection;
    }

    /// <summary>Checks everything once.</summary>
    public async ValueTask<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var store = await _store.CheckHealthAsync(cancellationToken);
        var clusters = new List<UpstreamClusterHealth>();
        foreach (var cluster in _proxyState.GetClusters())
        {
            var total = 0;
            var healthy = 0;
            foreach (var destination in cluster.Destinations.Values)
            {
                total++;
                if (destination.Health.Active != Yarp.ReverseProxy.Model.DestinationHealth.Unhealthy && destination.Health.Passive != Yarp.ReverseProxy.Model.DestinationHealth.Unhealthy)
                {
                    healthy++;
                }
            }

            clusters.Add(new UpstreamClusterHealth(cluster.ClusterId, healthy, total));
        }

        var degraded = !store.Healthy && _failsOpen;
        var ready = (store.Healthy || degraded) && clusters.Count > 0 && clusters.TrueForAll(c => c.HealthyDestinations > 0);
        return new ReadinessReport(ready, store, clusters) { Degraded = degraded, Detection = _detection?.Report() };
    }
}
