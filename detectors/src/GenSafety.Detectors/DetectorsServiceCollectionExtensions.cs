using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the detectors library's services.</summary>
public static class DetectorsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates (at start-up, every error at once) <see cref="HashingEmbedderOptions"/> from
    /// <c>GenSafety:Detection:Embeddings:Hashing</c> and <see cref="MiniLmEmbedderOptions"/> from
    /// <c>GenSafety:Detection:Embeddings:MiniLm</c>, and registers as singletons <see cref="DetectorsMetrics"/>,
    /// <see cref="HashingEmbedder"/> and <see cref="MiniLmEmbedder"/>, each also as an <see cref="ITextEmbedder"/>
    /// keyed by its name (<see cref="EmbedderNames"/>). MiniLM is loaded when first resolved (about half a second);
    /// resolve it during start-up to load it eagerly and report its provider.
    /// </summary>
    public static IServiceCollection AddDetectorEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptionsWithValidateOnStart<HashingEmbedderOptions, HashingEmbedderOptionsValidator>()
            .Bind(configuration.GetSection(HashingEmbedderOptions.SectionName));
        services.AddOptionsWithValidateOnStart<MiniLmEmbedderOptions, MiniLmEmbedderOptionsValidator>()
            .Bind(configuration.GetSection(MiniLmEmbedderOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton<DetectorsMetrics>();
        services.TryAddSingleton(static sp => new HashingEmbedder(
            sp.GetRequiredService<IOptions<HashingEmbedderOptions>>().Value,
            sp.GetRequiredService<DetectorsMetrics>()));
        services.TryAddSingleton(static sp => MiniLmEmbedder.Create(
            sp.GetRequiredService<IOptions<MiniLmEmbedderOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger<MiniLmEmbedder>() ?? NullLogger<MiniLmEmbedder>.Instance,
            sp.GetRequiredService<DetectorsMetrics>()));
        services.TryAddKeyedSingleton<ITextEmbedder>(EmbedderNames.Hashing, static (sp, _) => sp.GetRequiredService<HashingEmbedder>());
        services.TryAddKeyedSingleton<ITextEmbedder>(EmbedderNames.MiniLm, static (sp, _) => sp.GetRequiredService<MiniLmEmbedder>());
        return services;
    }
}
