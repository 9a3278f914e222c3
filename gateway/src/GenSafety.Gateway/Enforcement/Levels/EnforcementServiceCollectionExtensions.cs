using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the enforcement ladder.</summary>
public static class EnforcementServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="EnforcementOptions"/> (<c>GenSafety:Enforcement:Risk</c>, <c>:Actions</c>,
    /// <c>:Routes:{route}:Actions</c>, <c>GenSafety:Policies:{name}:Actions</c>) and registers <see cref="RiskLadder"/>,
    /// <see cref="LevelActions"/>, <see cref="EnforcementMetrics"/>, <see cref="InMemoryRiskStore"/> and
    /// <see cref="IRiskStore"/> (<see cref="RedisRiskStore"/> when Redis is configured, else the in-memory one).
    /// </summary>
    public static IServiceCollection AddEnforcementLevels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<EnforcementOptions, EnforcementOptionsValidator>()
            .Configure(options =>
            {
                configuration.GetSection(EnforcementOptions.RiskSection).Bind(options);
                configuration.GetSection(EnforcementOptions.ActionsSection).Bind(options.Actions);
                foreach (var route in configuration.GetSection(EnforcementOptions.RoutesSection).GetChildren())
                {
                    var table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    route.GetSection("Actions").Bind(table);
                    options.Routes[route.Key] = table;
                }

                foreach (var policy in configuration.GetSection("GenSafety:Policies").GetChildren())
                {
                    var actions = policy.GetSection("Actions");
                    if (actions.Exists())
                    {
                        var table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                        actions.Bind(table);
                        options.Policies[policy.Key] = table;
                    }
                }
            });
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RiskLadder>();
        services.TryAddSingleton<LevelActions>();
        services.TryAddSingleton<EnforcementMetrics>();
        services.TryAddSingleton<InMemoryRiskStore>();
        services.TryAddSingleton<IRiskStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisRiskStore>(sp)
                : sp.GetRequiredService<InMemoryRiskStore>());
        return services;
    }
}
