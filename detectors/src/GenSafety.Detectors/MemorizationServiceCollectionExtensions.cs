using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Images;
using GenSafety.Detectors.Memorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the memorization guard's options and stateless detectors.</summary>
public static class MemorizationServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates at start-up (every error at once) <see cref="ProtectedTextIndexOptions"/>
    /// (<c>GenSafety:Memorization:Text</c>), <see cref="StreamDivergenceOptions"/>
    /// (<c>GenSafety:Memorization:Divergence</c>), <see cref="MemorizedRunOptions"/>
    /// (<c>GenSafety:Memorization:LogprobRuns</c>) and <see cref="ProtectedImageIndexOptions"/>
    /// (<c>GenSafety:Memorization:Images</c>), and registers <see cref="MemorizedRunDetector"/> as a singleton. The
    /// indexes themselves are built or loaded by the host, which swaps them on reload.
    /// </summary>
    public static IServiceCollection AddMemorizationGuard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<ProtectedTextIndexOptions, ProtectedTextIndexOptionsValidator>()
            .Bind(configuration.GetSection(ProtectedTextIndexOptions.SectionName));
        services.AddOptionsWithValidateOnStart<StreamDivergenceOptions, StreamDivergenceOptionsValidator>()
            .Bind(configuration.GetSection(StreamDivergenceOptions.SectionName));
        services.AddOptionsWithValidateOnStart<MemorizedRunOptions, MemorizedRunOptionsValidator>()
            .Bind(configuration.GetSection(MemorizedRunOptions.SectionName));
        services.AddOptionsWithValidateOnStart<ProtectedImageIndexOptions, ProtectedImageIndexOptionsValidator>()
            .Bind(configuration.GetSection(ProtectedImageIndexOptions.SectionName));
        services.TryAddSingleton(static sp => new MemorizedRunDetector(sp.GetRequiredService<IOptions<MemorizedRunOptions>>().Value));
        return services;
    }
}
