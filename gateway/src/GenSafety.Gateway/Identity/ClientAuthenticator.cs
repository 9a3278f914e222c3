using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Identity;

/// <summary>Outcome of checking a client key.</summary>
public enum AuthenticationStatus
{
    /// <summary>The key is valid.</summary>
    Authenticated,

    /// <summary>No key, a malformed key, or a key that matches no client.</summary>
    InvalidKey,

    /// <summary>The key was not cached and the state store could not be asked.</summary>
    StateStoreUnavailable,
}

/// <summary>
/// Turns a presented client key into a <see cref="ClientIdentity"/>: state-store lookup by key id, constant-time
/// hash check, and a small in-process cache in front (positive and negative) so the hot path rarely leaves the
/// process.
/// </summary>
public sealed class ClientAuthenticator
{
    private readonly IClientStateStore _store;
    private readonly TimeProvider _time;
    private readonly IdentityOptions _options;
    private readonly byte[] _pepper;
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the authenticator.</summary>
    public ClientAuthenticator(IClientStateStore store, IOptions<IdentityOptions> options, TimeProvider time)
    {
        _store = store;
        _time = time;
        _options = options.Value;
        _pepper = Encoding.UTF8.GetBytes(_options.ResolvePepper() ?? string.Empty);
    }

    /// <summary>Hashes a key for storage with this server's pepper.</summary>
    public byte[] HashKey(byte[] salt, string key) => ApiKeys.Hash(_pepper, salt, key);

    /// <summary>Checks the key and returns who it belongs to.</summary>
    public async ValueTask<(AuthenticationStatus Status, ClientIdentity? Identity)> AuthenticateAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            return (AuthenticationStatus.InvalidKey, null);
        }

        var keyId = ApiKeys.GetKeyId(key);
        if (keyId is null)
        {
            return (AuthenticationStatus.InvalidKey, null);
        }

        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(keyId, out var cached) && now < cached.ExpiresAt)
        {
            return Check(cached, key);
        }

        CacheEntry entry;
        try
        {
            entry = await LoadAsync(keyId, cancellationToken);
        }
        catch (StateStoreUnavailableException)
        {
            return (AuthenticationStatus.StateStoreUnavailable, null);
        }

        if (_cache.Count >= _options.CacheCapacity)
        {
            // Coarse but bounded: a flood of distinct keys cannot grow memory without limit.
            _cache.Clear();
        }

        _cache[keyId] = entry;
        return Check(entry, key);
    }

    /// <summary>Drops every cached entry of a client on this replica (others expire after <see cref="IdentityOptions.CacheTtl"/>).</summary>
    public void Forget(string tenant, string clientId)
    {
        foreach (var pair in _cache)
        {
            var identity = pair.Value.Identity;
            if (identity is not null && identity.Tenant == tenant && identity.ClientId == clientId)
            {
                _cache.TryRemove(pair.Key, out _);
            }
        }
    }

    private (AuthenticationStatus, ClientIdentity?) Check(CacheEntry entry, string key)
    {
        if (entry.Identity is null)
        {
            return (AuthenticationStatus.InvalidKey, null);
        }

        // Fast path: the same key was verified against the stored hash moments ago on this replica.
        if (entry.IsVerified(key))
        {
            return (AuthenticationStatus.Authenticated, entry.Identity);
        }

        if (!ApiKeys.Verify(_pepper, entry.Salt, key, entry.Hash))
        {
            return (AuthenticationStatus.InvalidKey, null);
        }

        entry.RememberVerified(key);
        return (AuthenticationStatus.Authenticated, entry.Identity);
    }

    private async ValueTask<CacheEntry> LoadAsync(string keyId, CancellationToken cancellationToken)
    {
        var record = await _store.GetApiKeyAsync(keyId, cancellationToken);
        var client = record is null ? null : await _store.GetClientAsync(record.Tenant, record.ClientId, cancellationToken);
        if (record is null || client is null)
        {
            return new CacheEntry(null, [], [], Expiry(_options.NegativeCacheTtl));
        }

        var identity = new ClientIdentity(client.ClientId, client.Tenant, client.Policy, keyId);
        return new CacheEntry(identity, record.Salt, record.SecretHash, Expiry(_options.CacheTtl));
    }

    private long Expiry(TimeSpan ttl) => _time.GetTimestamp() + (long)(ttl.TotalSeconds * _time.TimestampFrequency);

    /// <summary>
    /// A cached credential. After one successful hash check it also keeps the verified key masked with a per-process
    /// random pad (never in clear), so later requests with the same key skip the HMAC: a constant-time comparison
    /// of two masked byte strings instead of a call into OpenSSL.
    /// </summary>
    private sealed class CacheEntry(ClientIdentity? identity, byte[] salt, byte[] hash, long expiresAt)
    {
        private const int MaxMaskedBytes = 512;
        private static readonly byte[] Pad = RandomNumberGenerator.GetBytes(MaxMaskedBytes);

        private byte[]? _maskedKey;

        public ClientIdentity? Identity { get; } = identity;

        public byte[] Salt { get; } = salt;

        public byte[] Hash { get; } = hash;

        public long ExpiresAt { get; } = expiresAt;

        public bool IsVerified(string key)
        {
            var remembered = Volatile.Read(ref _maskedKey);
            if (remembered is null || Encoding.UTF8.GetByteCount(key) != remembered.Length)
            {
                return false;
            }

            Span<byte> masked = stackalloc byte[remembered.Length];
            Mask(key, masked);
            return CryptographicOperations.FixedTimeEquals(masked, remembered);
        }

        public void RememberVerified(string key)
        {
            var length = Encoding.UTF8.GetByteCount(key);
            if (length > MaxMaskedBytes)
            {
                return;
            }

            var masked = new byte[length];
            Mask(key, masked);
            Volatile.Write(ref _maskedKey, masked);
        }

        private static void Mask(string key, Span<byte> destination)
        {
            Encoding.UTF8.GetBytes(key, destination);
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] ^= Pad[i];
            }
        }
    }
}
