using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary><see cref="ICampaignStore"/> in process memory (single replica, no Redis).</summary>
internal sealed class InMemoryCampaignStore(IOptions<CampaignOptions> options, TimeProvider time) : ICampaignStore
{
    private readonly CampaignOptions _options = options.Value;
    private readonly Dictionary<(string Tenant, string Kind, ulong Key), Entry> _entries = [];
    private readonly Lock _lock = new();

    public Task<CampaignTotals> RecordAsync(string tenant, CampaignRecord record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.TryGetValue((tenant, record.Kind, record.Key), out var entry) || entry.Expires <= now)
            {
                RemoveExpired(now);
                entry = new Entry();
                _entries[(tenant, record.Kind, record.Key)] = entry;
            }

            foreach (var client in record.Clients)
            {
                if (entry.Members.Count < _options.MaxMembers)
                {
                    entry.Members.TryAdd(client, 0);
                }
            }

            entry.Settings.UnionWith(record.Settings);
            entry.Requests += record.Requests;
            entry.Expires = now + _options.Window;
            return Task.FromResult(new CampaignTotals(entry.Members.Count, entry.Settings.Count, entry.Requests));
        }
    }

    public Task<IReadOnlyList<string>> ClaimAsync(string tenant, string kind, ulong key, double score, double tolerance, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue((tenant, kind, key), out var entry))
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            var claimed = entry.Members.Where(m => m.Value < score - tolerance).Select(m => m.Key).ToList();
            foreach (var client in claimed)
            {
                entry.Members[client] = score;
            }

            return Task.FromResult<IReadOnlyList<string>>(claimed);
        }
    }

    // Called under the lock before a signature starts: drops every expired one, so memory follows the live signatures.
    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var expired in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            _entries.Remove(expired);
        }
    }

    private sealed class Entry
    {
        public Dictionary<string, double> Members { get; } = new(StringComparer.Ordinal);

        public HashSet<int> Settings { get; } = [];

        public long Requests { get; set; }

        public DateTimeOffset Expires { get; set; }
    }
}
