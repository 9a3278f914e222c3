using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.Enforcement.ProofOfWork;

/// <summary>Builds proof-of-work the way the gateway will: configuration → <c>AddProofOfWork</c>.</summary>
internal static class PowTestServices
{
    public const string Section = ProofOfWorkOptions.SectionName;
    public const string Secret = "test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

    public static ServiceProvider Build(string? redisEndPoint = null, TimeProvider? timeProvider = null, string? keyPrefix = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{Section}:Secret"] = Secret,
            [$"{Section}:TokenLifetime"] = "00:02:00",
        };
        if (redisEndPoint is not null)
        {
            settings[$"{StateStoreOptions.SectionName}:ConnectionString"] = redisEndPoint;
            settings[$"{StateStoreOptions.SectionName}:KeyPrefix"] = keyPrefix ?? "gs";
            settings[$"{StateStoreOptions.SectionName}:OperationTimeout"] = "00:00:01";
            settings[$"{StateStoreOptions.SectionName}:ConnectTimeout"] = "00:00:02";
        }

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        return services.AddProofOfWork(configuration).BuildServiceProvider(validateScopes: true);
    }

    public static ClientIdentity NewClient(string? tenant = null) =>
        new(Infrastructure.SharedRedisFixture.NewId("client"), tenant ?? Infrastructure.SharedRedisFixture.NewId("tenant"), "default", "key-1");
}
