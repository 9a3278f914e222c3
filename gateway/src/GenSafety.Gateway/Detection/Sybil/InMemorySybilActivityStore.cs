using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Sybil;

/// <summary><see cref="ISybilActivityStore"/> in process memory (single instance without Redis), bounded the same way.</summary>
internal sealed class InMemorySybilActivityStore(IOptions<SybilLinkingOptions> options) : ISybilActivityStore
{
    private readonly int _max = options.Value.MaxClients;
    private readonly ConcurrentDictionary<string, Dictionary<string, ClientActivity>> _tenants = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Tenants => [.. _tenants.Keys];

    public Task RecordAsync(IReadOnlyList<ClientActivity> activity, CancellationToken cancellationToken)
    {
        foreach (var client in activity)
        {
            var clients = _tenants.GetOrAdd(client.Tenant, static _ => new Dictionary<string, ClientActivity>(StringComparer.Ordinal));
            lock (clients)
            {
                var network = client.Network ?? clients.GetValueOrDefault(client.ClientId)?.Network;
                clients[client.ClientId] = client with { Network = network };
                if (clients.Count > _max)
                {
                    clients.Remove(clients.Values.MinBy(c => c.LastSeen)!.ClientId);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ClientActivity>> ReadActiveAsync(string tenant, DateTimeOffset since, int max, CancellationToken cancellationToken)
    {
        if (!_tenants.TryGetValue(tenant, out var clients))
        {
            return Task.FromResult<IReadOnlyList<ClientActivity>>([]);
        }

        lock (clients)
        {
            return Task.FromResult<IReadOnlyList<ClientActivity>>([.. clients.Values.Where(c => c.LastSeen >= since).OrderByDescending(c => c.LastSeen).Take(max)]);
        }
    }

    public Task DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        if (_tenants.TryGetValue(tenant, out var clients))
        {
            lock (clients)
            {
                clients.Remove(clientId);
            }
        }

        return Task.CompletedTask;
    }
}
