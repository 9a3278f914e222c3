using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>
/// <see cref="IChallengeReplayGuard"/> on the shared Redis: one <c>SET {prefix}:{tenant}:pow:{tokenId} 1 NX PXAT {expiry}</c>,
/// atomic across replicas, the key vanishing when the token expires. Any Redis failure, including a timeout after
/// <see cref="StateStoreOptions.OperationTimeout"/>, surfaces as <see cref="StateStoreUnavailableException"/>.
/// </summary>
public sealed class RedisChallengeReplayGuard : IChallengeReplayGuard
{
    private readonly IConnectionMultiplexer _connection;
    private readonly string _prefix;

    /// <summary>Creates the guard over the process's shared connection.</summary>
    public RedisChallengeReplayGuard(IConnectionMultiplexer connection, IOptions<StateStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _prefix = options.Value.KeyPrefix;
    }

    /// <summary>The Redis key that marks a token as used.</summary>
    public RedisKey KeyFor(string tenant, string tokenId) => $"{_prefix}:{tenant}:pow:{tokenId}";

    /// <inheritdoc />
    public async ValueTask<bool> TryConsumeAsync(string tenant, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(tokenId, nameof(tokenId));
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // StackExchange.Redis takes no token: the caller may stop waiting, the command still ends within the timeout.
            Task<RedisResult> command = _connection.GetDatabase().ExecuteAsync(
                "SET", KeyFor(tenant, tokenId), 1, "NX", "PXAT", expiresAt.ToUnixTimeMilliseconds());
            RedisResult result = await (cancellationToken.CanBeCanceled ? command.WaitAsync(cancellationToken) : command).ConfigureAwait(false);
            return !result.IsNull;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("The Redis state store failed while recording a proof-of-work token.", ex);
        }
    }
}
