using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace GenSafety.Gateway.Tests.Enforcement.Admission;

/// <summary>Builds admission the way the gateway will: configuration → <c>AddAdmission</c>.</summary>
internal static class AdmissionTestServices
{
    public static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> settings, TimeProvider? timeProvider = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        return services.AddAdmission(configuration).BuildServiceProvider(validateScopes: true);
    }

    public static Dictionary<string, string?> Redis(string endPoint, string keyPrefix, string failureMode = "closed", int replicas = 1) => new()
    {
        ["GenSafety:Redis:ConnectionString"] = endPoint,
        ["GenSafety:Redis:KeyPrefix"] = keyPrefix,
        ["GenSafety:Redis:OperationTimeout"] = "00:00:01",
        ["GenSafety:Redis:ConnectTimeout"] = "00:00:02",
        ["GenSafety:Redis:FailureMode"] = failureMode,
        ["GenSafety:Enforcement:ReplicaCount"] = replicas.ToString(),
    };

    /// <summary>A client stored through the provider's state store (admission refuses clients that do not exist).</summary>
    public static ClientIdentity NewClient(IServiceProvider services, string tenant)
    {
        var (client, key) = State.StateTestServices.NewClient(tenant);
        services.GetRequiredService<IClientStateStore>().CreateClientAsync(client, key, default).AsTask().GetAwaiter().GetResult();
        return new(client.ClientId, tenant, client.Policy, key.KeyId);
    }

    /// <summary>A client stored directly in Redis under prefix <c>gs</c> (for tests whose replicas start later).</summary>
    public static ClientIdentity NewClient(IDatabase redis, string tenant)
    {
        var client = new ClientIdentity(SharedRedisFixture.NewId("client"), tenant, "default", SharedRedisFixture.NewId("key"));
        StoreClient(redis, client);
        return client;
    }

    /// <summary>Writes the client hash of <paramref name="client"/> under prefix <c>gs</c>.</summary>
    public static void StoreClient(IDatabase redis, ClientIdentity client)
    {
        var id = client.ClientId;
        redis.HashSet($"gs:{client.Tenant}:client:{id}", [new("id", id), new("tenant", client.Tenant), new("policy", client.Policy), new("name", id), new("created", 0)]);
    }

    public static PolicyLimits Limits(long rpm = 0, long tpm = 0, long streams = 0, long daily = 0) => new("test", rpm, tpm, streams, daily, 0);
}
