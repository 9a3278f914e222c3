using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers admission control.</summary>
public static class AdmissionServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="AdmissionOptions"/> (<c>GenSafety:Policies</c>, <c>GenSafety:Enforcement</c>,
    /// <c>GenSafety:Redis:FailureMode</c>), registers <see cref="AdmissionPolicies"/>, <see cref="AdmissionMetrics"/>
    /// and <see cref="IAdmissionStore"/>: with a Redis connection string, a <see cref="FailoverAdmissionStore"/> over
    /// <see cref="RedisAdmissionStore"/> (sharing the process's <see cref="StackExchange.Redis.IConnectionMultiplexer"/>
    /// from <c>AddClientStateStore</c>, which this calls), otherwise an <see cref="InMemoryAdmissionStore"/>; and the
/// enforcement ladder (<c>AddEnforcementLevels</c>) and proof-of-work (<c>AddProofOfWork</c>) that admission decides with.
    /// </summary>
    public static IServiceCollection AddAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddClientStateStore(configuration);
        services.AddEnforcementLevels(configuration);
        services.AddProofOfWork(configuration);
        services.AddDegrade(configuration);
        services.AddOptionsWithValidateOnStart<AdmissionOptions, AdmissionOptionsValidator>()
            .Configure(options =>
            {
                configuration.GetSection(AdmissionOptions.PoliciesSection).Bind(options.Policies);
                options.ReplicaCount = configuration.GetValue(AdmissionOptions.ReplicaCountKey, options.ReplicaCount);
                options.StreamSlotTtl = configuration.GetValue(AdmissionOptions.StreamSlotTtlKey, options.StreamSlotTtl);
                options.FailureMode = configuration[AdmissionOptions.FailureModeKey] ?? options.FailureMode;
            });
        services.AddOptionsWithValidateOnStart<TokenCountingOptions, TokenCountingOptionsValidator>()
            .Configure(options =>
            {
                var section = configuration.GetSection(TokenCountingOptions.SectionName);
                options.Default = section["Default"] ?? options.Default;
                section.GetSection("Models").Bind(options.Models);
            });
        services.TryAddSingleton<PromptTokenCounter>();
        services.TryAddSingleton<AdmissionMetrics>();
        services.TryAddSingleton<AdmissionPolicies>();
        services.TryAddSingleton<InMemoryAdmissionStore>();
        services.TryAddSingleton<RedisAdmissionStore>();
        services.TryAddSingleton<FailoverAdmissionStore>();
        services.TryAddSingleton<IAdmissionStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? sp.GetRequiredService<FailoverAdmissionStore>()
                : sp.GetRequiredService<InMemoryAdmissionStore>());
        return services;
    }
}
