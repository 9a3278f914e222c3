using GenSafety.Gateway.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GenSafety.Gateway.Tests.State;

/// <summary>Builds the state store the way the gateway does: configuration → <c>AddClientStateStore</c>.</summary>
internal static class StateTestServices
{
    public const string Section = StateStoreOptions.SectionName;

    public static ServiceProvider Build(
        IEnumerable<KeyValuePair<string, string?>> settings, TimeProvider? timeProvider = null, ILoggerProvider? logs = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(builder =>
        {
            if (logs is not null)
            {
                builder.AddProvider(logs);
            }
        });
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        return services.AddClientStateStore(configuration).BuildServiceProvider(validateScopes: true);
    }

    /// <summary>Settings for a Redis store at <paramref name="endPoint"/> with its own key prefix.</summary>
    public static Dictionary<string, string?> Redis(string endPoint, string keyPrefix, TimeSpan? operationTimeout = null) => new()
    {
        [$"{Section}:ConnectionString"] = endPoint,
        [$"{Section}:KeyPrefix"] = keyPrefix,
        [$"{Section}:OperationTimeout"] = (operationTimeout ?? TimeSpan.FromSeconds(2)).ToString(),
        [$"{Section}:ConnectTimeout"] = "00:00:02",
    };

    public static (ClientRecord Client, ApiKeyRecord Key) NewClient(string tenant, string? clientId = null, DateTimeOffset? createdAt = null)
    {
        clientId ??= Infrastructure.SharedRedisFixture.NewId("client");
        DateTimeOffset at = createdAt ?? DateTimeOffset.UtcNow;
        byte[] salt = Guid.NewGuid().ToByteArray();
        byte[] hash = [.. Guid.NewGuid().ToByteArray(), .. Guid.NewGuid().ToByteArray(), 0, 255];
        return (
            new ClientRecord(clientId, tenant, "default", $"Client {clientId}", at),
            new ApiKeyRecord(Infrastructure.SharedRedisFixture.NewId("key"), clientId, tenant, salt, hash, at));
    }
}
