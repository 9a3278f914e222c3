using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers proof-of-work challenges.</summary>
public static class ProofOfWorkServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="ProofOfWorkOptions"/> from <c>GenSafety:Enforcement:ProofOfWork</c> and registers
    /// <see cref="ProofOfWorkService"/> and <see cref="IChallengeReplayGuard"/>: <see cref="RedisChallengeReplayGuard"/> on the
    /// state store's connection when <c>GenSafety:Redis:ConnectionString</c> is set, otherwise
    /// <see cref="InMemoryChallengeReplayGuard"/>. Adds the client state store (<c>AddClientStateStore</c>) if it is not there yet.
    /// </summary>
    public static IServiceCollection AddProofOfWork(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        if (!services.Any(static d => d.ServiceType == typeof(IConnectionMultiplexer)))
        {
            services.AddClientStateStore(configuration);
        }

        services.AddOptionsWithValidateOnStart<ProofOfWorkOptions, ProofOfWorkOptionsValidator>()
            .Bind(configuration.GetSection(ProofOfWorkOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IChallengeReplayGuard>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisChallengeReplayGuard>(sp)
                : new InMemoryChallengeReplayGuard(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ProofOfWorkService>();
        return services;
    }
}
