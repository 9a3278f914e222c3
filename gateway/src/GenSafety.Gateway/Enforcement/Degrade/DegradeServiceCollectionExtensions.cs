using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the L2 "degrade" action.</summary>
public static class DegradeServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates (at start-up) <see cref="DegradeOptions"/> from <c>GenSafety:Enforcement:Degrade</c>,
    /// and registers <see cref="DegradeRequestShaper"/> plus the <see cref="DegradeJsonTransform"/> and
    /// <see cref="DegradeStreamTransform"/> response transforms (which act only on requests whose
    /// <c>EnforcementOutcome</c> degrades). Calling it twice registers nothing twice.
    /// </summary>
    public static IServiceCollection AddDegrade(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptionsWithValidateOnStart<DegradeOptions, DegradeOptionsValidator>()
            .Bind(configuration.GetSection(DegradeOptions.SectionName));
        services.TryAddSingleton<DegradeRequestShaper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseTransform, DegradeJsonTransform>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStreamTransform, DegradeStreamTransform>());
        return services;
    }
}
