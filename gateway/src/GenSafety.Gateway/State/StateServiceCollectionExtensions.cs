using GenSafety.Gateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the client state store.</summary>
public static class StateServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="StateStoreOptions"/> from <c>GenSafety:Redis</c> and registers
    /// <see cref="IClientStateStore"/>: <see cref="RedisClientStateStore"/> when a connection string is set,
    /// otherwise <see cref="InMemoryClientStateStore"/>. With Redis, the process's one
    /// <see cref="IConnectionMultiplexer"/> is registered too (for other Redis-backed features) and connects
    /// at start; the gateway starts even when Redis is down and reconnects by itself.
    /// The choice is made from the options when the store is first resolved, so later configuration counts.
    /// </summary>
    public static IServiceCollection AddClientStateStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptionsWithValidateOnStart<StateStoreOptions, StateStoreOptionsValidator>()
            .Bind(configuration.GetSection(StateStoreOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConnectionMultiplexer>(static sp => RedisConnectionFactory.Connect(
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<RedisClientStateStore>()));
        services.TryAddSingleton<IClientStateStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisClientStateStore>(sp)
                : ActivatorUtilities.CreateInstance<InMemoryClientStateStore>(sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StateStoreWarmup>());
        return services;
    }
}
