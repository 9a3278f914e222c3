using GenSafety.Gateway.State;
using Yarp.ReverseProxy;

namespace GenSafety.Gateway.Health;

/// <summary>What <c>/readyz</c> reports.</summary>
/// <param name="Ready">Whether the gateway should receive traffic.</param>
/// <param name="StateStore">State store health.</param>
/// <param name="Upstreams">Per-cluster destination health.</param>
public sealed record ReadinessReport(bool Ready, StateStoreHealth StateStore, IReadOnlyList<UpstreamClusterHealth> Upstreams);

/// <summary>Health of one YARP cluster.</summary>
/// <param name="ClusterId">Cluster id.</param>
/// <param name="HealthyDestinations">Destinations not marked unhealthy by active or passive checks.</param>
/// <param name="TotalDestinations">All destinations.</param>
public sealed record UpstreamClusterHealth(string ClusterId, int HealthyDestinations, int TotalDestinations);

/// <summary>
/// Readiness: the state store answers (or the gateway runs in in-memory mode) and every cluster has at least one
/// destination that active and passive health checks have not marked unhealthy.
/// </summary>
public sealed class ReadinessProbe
{
    private readonly IClientStateStore _store;
    private readonly IProxyStateLookup _proxyState;

    /// <summary>Creates the probe.</summary>
    public ReadinessProbe(IClientStateStore store, IProxyStateLookup proxyState)
    {
        _store = store;
        _proxyState = proxyState;
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

        var ready = store.Healthy && clusters.Count > 0 && clusters.TrueForAll(c => c.HealthyDestinations > 0);
        return new ReadinessReport(ready, store, clusters);
    }
}
