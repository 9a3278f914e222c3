using GenSafety.Traffic.Api;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;

namespace GenSafety.Traffic.Gateway;

/// <summary>
/// Gives every actor of a campaign a key: created through the gateway's admin API, taken from a supplied list,
/// or a placeholder when the target is the model itself (no gateway, no keys).
/// </summary>
public sealed class ClientProvisioner
{
    private readonly GatewayAdmin? _admin;
    private readonly string? _policy;
    private readonly Queue<TrafficClient>? _supplied;

    private ClientProvisioner(GatewayAdmin? admin, string? policy, Queue<TrafficClient>? supplied)
    {
        _admin = admin;
        _policy = policy;
        _supplied = supplied;
    }

    /// <summary>Creates clients through <paramref name="admin"/>, each with <paramref name="policy"/> (null: the default policy).</summary>
    public static ClientProvisioner ThroughAdmin(GatewayAdmin admin, string? policy) => new(admin, policy, null);

    /// <summary>Hands out <paramref name="clients"/> in order (benign actors first, then attacker keys).</summary>
    public static ClientProvisioner FromList(IEnumerable<TrafficClient> clients) => new(null, null, new Queue<TrafficClient>(clients));

    /// <summary>Placeholder keys named after each client (for a target without a gateway).</summary>
    public static ClientProvisioner Placeholder() => new(null, null, null);

    /// <summary>The admin API, when clients are created through it.</summary>
    public GatewayAdmin? Admin => _admin;

    /// <summary>
    /// Reads a keys file: one client a line, <c>client_id api_key</c> (whitespace-separated); blank lines and lines
    /// starting with <c>#</c> are skipped.
    /// </summary>
    public static List<TrafficClient> ReadKeysFile(string path) =>
        [.. File.ReadLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(p => p.Length == 2 ? new TrafficClient(p[0], p[1]) : throw new FormatException($"{path}: expected 'client_id api_key', got '{p[0]}'"))];

    /// <summary>Gives every actor of <paramref name="campaign"/> a client.</summary>
    public async Task ProvisionAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        foreach (var actor in campaign.Actors)
        {
            var label = actor.Label;
            if (_admin is not null)
            {
                var key = await _admin.CreateClientAsync(label.Client, _policy, $"traffic {label.Role} {label.Family} ({label.Campaign})", cancellationToken);
                actor.Client = new TrafficClient(label.Client, key);
            }
            else if (_supplied is not null)
            {
                actor.Client = _supplied.TryDequeue(out var client)
                    ? client
                    : throw new InvalidOperationException($"The keys file has too few keys for campaign {campaign.Id} ({campaign.Actors.Count} clients per campaign).");
            }
            else
            {
                actor.Client = new TrafficClient(label.Client, "traffic-placeholder-" + label.Client);
            }
        }
    }

    /// <summary>Pins every attacker key of <paramref name="campaign"/> to <paramref name="level"/> (measures what a level lets through).</summary>
    public async Task PinAttackersAsync(Campaign campaign, string level, CancellationToken cancellationToken)
    {
        if (_admin is null)
        {
            throw new InvalidOperationException("Pinning a level needs the admin API (--admin and --admin-token).");
        }

        foreach (var actor in campaign.Actors.Where(a => a.Label.Role == Roles.Attack))
        {
            await _admin.PinLevelAsync(actor.Client!.Id, level, $"traffic generator: attacker key pinned to {level} to measure what it lets through", cancellationToken);
        }
    }
}
