using StackExchange.Redis;

namespace GenSafety.Gateway.Tests.Infrastructure;

/// <summary>
/// One Redis for a test collection: the one <c>./test.sh</c> started (environment variable
/// <see cref="EnvironmentVariable"/>, e.g. <c>127.0.0.1:6390</c>), otherwise a private <see cref="RedisServerProcess"/>.
/// The server is shared with every other test class and project, so never flush it: give each store or
/// gateway under test its own <see cref="NewKeyPrefix"/> (<c>GenSafety:Redis:KeyPrefix</c>) or tenant.
/// Use it with <c>[Collection(SharedRedisDefinition.Name)]</c>, or declare another collection with
/// <c>ICollectionFixture&lt;SharedRedisFixture&gt;</c> so that it runs in parallel with this one.
/// Tests that stop Redis must start their own <see cref="RedisServerProcess"/> instead.
/// </summary>
public sealed class SharedRedisFixture : IAsyncLifetime
{
    /// <summary>Environment variable naming an already running Redis (<c>host:port</c>).</summary>
    public const string EnvironmentVariable = "GENSAFETY_TEST_REDIS";

    private RedisServerProcess? _ownServer;
    private ConnectionMultiplexer? _connection;

    /// <summary><c>host:port</c> of the server; a valid <c>GenSafety:Redis:ConnectionString</c>.</summary>
    public string EndPoint { get; private set; } = string.Empty;

    /// <summary>Whether the server was started by the test script rather than by this fixture.</summary>
    public bool IsExternal => _ownServer is null;

    /// <summary>An admin-enabled connection for tests that inspect keys, TTLs or server statistics.</summary>
    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>A key prefix no other test uses (valid for <c>GenSafety:Redis:KeyPrefix</c>).</summary>
    public static string NewKeyPrefix() => "gst" + Guid.NewGuid().ToString("N");

    /// <summary>An id no other test uses (valid as a tenant, client or key id).</summary>
    public static string NewId(string kind = "id") => $"{kind}-{Guid.NewGuid():N}";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        string? external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(external))
        {
            _ownServer = await RedisServerProcess.StartNewAsync();
            EndPoint = _ownServer.EndPoint;
        }
        else
        {
            EndPoint = external.Trim();
        }

        var options = ConfigurationOptions.Parse(EndPoint);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        try
        {
            _connection = await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException ex)
        {
            throw new InvalidOperationException($"No Redis answers at {EndPoint} (from {EnvironmentVariable}); is it running?", ex);
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_ownServer is not null)
        {
            await _ownServer.DisposeAsync();
        }
    }
}

/// <summary>The collection of tests that share one <see cref="SharedRedisFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SharedRedisDefinition : ICollectionFixture<SharedRedisFixture>
{
    /// <summary>Collection name for <c>[Collection(...)]</c>.</summary>
    public const string Name = "Shared Redis";
}
