using System.Collections.Concurrent;
using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>
/// <see cref="IChallengeReplayGuard"/> for a single instance (in-memory state mode). Remembers used tokens until they
/// expire, at most <see cref="Capacity"/> at a time: when full even after dropping expired entries it refuses new
/// tokens (fails closed) rather than forgetting unexpired ones, which would let them be replayed.
/// </summary>
public sealed class InMemoryChallengeReplayGuard : IChallengeReplayGuard
{
    /// <summary>Default <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly Lock _sweepLock = new();

    /// <summary>Creates the guard.</summary>
    public InMemoryChallengeReplayGuard(TimeProvider timeProvider)
        : this(timeProvider, DefaultCapacity)
    {
    }

    /// <summary>Creates the guard with a given capacity.</summary>
    public InMemoryChallengeReplayGuard(TimeProvider timeProvider, int capacity)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _timeProvider = timeProvider;
        Capacity = capacity;
    }

    /// <summary>Most tokens remembered at once.</summary>
    public int Capacity { get; }

    /// <summary>Tokens remembered now (expired ones included until the next sweep).</summary>
    public int Count => _used.Count;

    /// <inheritdoc />
    public ValueTask<bool> TryConsumeAsync(string tenant, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TryConsume(tenant, tokenId, expiresAt));
    }

    /// <summary>Synchronous <see cref="TryConsumeAsync"/>: true the first time a token is redeemed before it expires.</summary>
    public bool TryConsume(string tenant, string tokenId, DateTimeOffset expiresAt)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(tokenId, nameof(tokenId));
        long now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        long expires = expiresAt.ToUnixTimeMilliseconds();
        string key = tenant + ":" + tokenId;

        if (_used.TryGetValue(key, out long existing))
        {
            // An expired entry is swapped only if nobody else did first, so exactly one caller wins.
            return existing <= now && _used.TryUpdate(key, expires, existing);
        }

        if (_used.Count >= Capacity)
        {
            Sweep(now);
            if (_used.Count >= Capacity)
            {
                return false;
            }
        }

        return _used.TryAdd(key, expires);
    }

    private void Sweep(long now)
    {
        lock (_sweepLock)
        {
            foreach (KeyValuePair<string, long> entry in _used)
            {
                if (entry.Value <= now)
                {
                    _used.TryRemove(entry);
                }
            }
        }
    }
}
