using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Detection.Learned;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>learned</c> fusion.</summary>
public static class LearnedScorerServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="LearnedScorerOptions"/> (<c>GenSafety:Detection:Learned</c>) and registers the
    /// <c>learned</c> <c>IRiskFusion</c>, its feature windows and its model host (a hosted service that loads the model
    /// at start only when <c>GenSafety:Detection:Fusion</c> is <c>learned</c>). Calling it twice registers nothing twice.
    /// </summary>
    public static IServiceCollection AddLearnedScorer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(LearnedModelHost)))
        {
            return services;
        }

        services.AddOptionsWithValidateOnStart<LearnedScorerOptions, LearnedScorerOptionsValidator>().Bind(configuration.GetSection(LearnedScorerOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LearnedScorerMetrics>();
        services.AddSingleton(static sp => new LearnedFeatureWindows(sp.GetRequiredService<IOptions<LearnedScorerOptions>>().Value.MaxClients));
        services.AddSingleton<LearnedModelHost>();
        services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<LearnedModelHost>());
        services.AddSingleton(new RiskFusionRegistration(RiskFusionNames.Learned));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRiskFusion, LearnedRiskFusion>());
        return services;
    }
}
