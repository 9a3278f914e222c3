using GenSafety.Gateway.DatasetInference;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers dataset inference (<c>GenSafety:DatasetInference</c>).</summary>
public static class DatasetInferenceServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="DatasetInferenceServiceOptions"/>; registers the job store (Redis when
    /// <c>GenSafety:Redis:ConnectionString</c> is set, else memory), the upstream budget and scorers, the worker and its metrics.
    /// </summary>
    public static IServiceCollection AddDatasetInference(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<DatasetInferenceServiceOptions, DatasetInferenceServiceOptionsValidator>()
            .Bind(configuration.GetSection(DatasetInferenceServiceOptions.SectionName));
        services.AddHttpClient(DatasetInferenceUpstream.HttpClientName, (sp, client) =>
            client.Timeout = sp.GetRequiredService<IOptions<DatasetInferenceServiceOptions>>().Value.UpstreamTimeout);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DatasetInferenceMetrics>();
        services.TryAddSingleton<UpstreamRequestBudget>();
        services.TryAddSingleton<DatasetInferenceUpstream>();
        services.TryAddSingleton<ClientAuthenticationFilter>();
        services.TryAddSingleton<IDatasetInferenceJobStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisDatasetInferenceJobStore>(sp)
                : ActivatorUtilities.CreateInstance<InMemoryDatasetInferenceJobStore>(sp));
        services.TryAddSingleton<DatasetInferenceWorker>();
        services.AddHostedService(static sp => sp.GetRequiredService<DatasetInferenceWorker>());
        return services;
    }
}
