using GenSafety.Detectors.Images;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using GenSafety.Gateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gateway side of the memorization guard (<c>GenSafety:Memorization</c>).</summary>
public static class GatewayMemorizationServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates at start-up <see cref="MemorizationOptions"/> and the library's index options
    /// (<c>AddMemorizationGuard</c>), with <see cref="MemorizationOptions.ThresholdChars"/> and
    /// <see cref="MemorizationOptions.ImageMaxHammingDistance"/> setting the index thresholds.
    /// Registers the protected corpora (<see cref="ProtectedCorpus"/>), their store (Redis when
    /// <c>GenSafety:Redis:ConnectionString</c> is set, else memory), the loader that fills and reloads them, and the
    /// metrics, the prompt check (<see cref="MemorizationPromptCheck"/>, which needs <c>IRiskStore</c> from <c>AddAdmission</c>), and the output filters <see cref="MemorizationJsonTransform"/>, <see cref="MemorizationStreamTransform"/> and <see cref="MemorizationImageTransform"/>. Calling it twice registers nothing twice.
    /// </summary>
    public static IServiceCollection AddGatewayMemorization(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMemorizationGuard(configuration);
        services.AddOptionsWithValidateOnStart<MemorizationOptions, MemorizationOptionsValidator>()
            .Bind(configuration.GetSection(MemorizationOptions.SectionName));
        // Runs after the library's binding, so the gateway's keys win.
        services.AddOptions<ProtectedTextIndexOptions>()
            .Configure<IOptions<MemorizationOptions>>(static (text, memo) => text.StopCharacters = memo.Value.ThresholdChars);
        services.AddOptions<ProtectedImageIndexOptions>()
            .Configure<IOptions<MemorizationOptions>>(static (images, memo) => images.MaxDistance = memo.Value.ImageMaxHammingDistance);
        services.AddMetrics();
        services.TryAddSingleton<ProtectedCorpus>();
        services.TryAddSingleton<IProtectedCorpusStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisProtectedCorpusStore>(sp)
                : ActivatorUtilities.CreateInstance<InMemoryProtectedCorpusStore>(sp));
        services.TryAddSingleton<MemorizationMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProtectedCorpusLoader>());
        services.TryAddSingleton<MemorizationPromptCheck>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ImagePromptMemory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseObserver, MemorizationPromptObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseTransform, MemorizationJsonTransform>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseTransform, MemorizationImageTransform>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStreamTransform, MemorizationStreamTransform>());
        return services;
    }
}
