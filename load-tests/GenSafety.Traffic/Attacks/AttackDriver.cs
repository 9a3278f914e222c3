using GenSafety.Traffic.Api;

namespace GenSafety.Traffic.Attacks;

/// <summary>
/// Runs an attack flat out, without pacing or benign traffic: one sequential worker per key, each sending what the
/// attack gives that key until it has nothing left. The demos and tests use it to measure what an undefended
/// attacker gets.
/// </summary>
public static class AttackDriver
{
    /// <summary>Runs <paramref name="attack"/> over <paramref name="sybils"/> keys (all sending as <paramref name="client"/>), at most <paramref name="maxQueries"/> requests in all; returns the requests sent.</summary>
    public static async Task<int> RunAsync(IAttack attack, int sybils, ITrafficTransport transport, TrafficClient client, CancellationToken cancellationToken, int maxQueries = int.MaxValue)
    {
        var remaining = maxQueries;
        var sent = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, sybils), new ParallelOptions { MaxDegreeOfParallelism = sybils, CancellationToken = cancellationToken }, async (sybil, ct) =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0 && attack.NextFor(sybil) is { } request)
            {
                attack.Observe(sybil, request, await transport.SendAsync(client, request, ct));
                Interlocked.Increment(ref sent);
            }
        });

        return sent;
    }
}
