using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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

    public static ClientIdentity NewClient(string tenant) => new(SharedRedisFixture.NewId("client"), tenant, "default", SharedRedisFixture.NewId("key"));

    public static PolicyLimits Limits(long rpm = 0, long tpm = 0, long streams = 0, long daily = 0) => new("test", rpm, tpm, streams, daily, 0);
}
