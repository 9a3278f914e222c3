using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.ApiSurface;
using GenSafety.Gateway.Detection.Campaigns;
using GenSafety.Gateway.Detection.Coverage;
using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Detection.Harvesting;
using GenSafety.Gateway.Detection.Learned;
using GenSafety.Gateway.Detection.NearDuplicate;
using GenSafety.Gateway.Detection.Prada;
using GenSafety.Gateway.Detection.State;
using GenSafety.Gateway.Detection.Sybil;
using GenSafety.Gateway.Detection.WindowMmd;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Streaming;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the observation pipeline and the built-in detectors.</summary>
public static class DetectionServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates (at start-up) <see cref="DetectionOptions"/> (<c>GenSafety:Detection</c>),
    /// <see cref="ApiSurfaceShapingOptions"/> and the embedders' options (<c>AddDetectorEmbeddings</c>); registers the
    /// queue, the background pipeline, the response observers, the detector state store (Redis when
    /// <c>GenSafety:Redis:ConnectionString</c> is set, else memory), the <c>analytic</c> and <c>learned</c> fusions (<c>AddLearnedScorer</c>) and the detectors
    /// <c>api-surface</c>, <c>b4b-coverage</c>, <c>prada</c>, <c>near-duplicate</c>, <c>harvesting</c>, <c>window-mmd</c>
    /// (scoring only tenants with a benign reference, loaded at start), campaign signatures and sybil linking. Needs the enforcement services (<c>AddAdmission</c>) for
    /// <c>IRiskStore</c>. Calling it twice registers nothing twice.
    /// </summary>
    public static IServiceCollection AddDetection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddDetectorEmbeddings(configuration);
        services.AddOptionsWithValidateOnStart<DetectionOptions, DetectionOptionsValidator>().Bind(configuration.GetSection(DetectionOptions.SectionName));
        services.AddOptionsWithValidateOnStart<ApiSurfaceShapingOptions, ApiSurfaceShapingOptionsValidator>().Bind(configuration.GetSection(ApiSurfaceShapingOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DetectionMetrics>();
        services.TryAddSingleton<DetectionQueue>();
        services.TryAddSingleton<EnabledDetectors>();
        services.TryAddSingleton<DetectionEmbedders>();
        services.TryAddSingleton<PromptEmbedding>();
        services.TryAddSingleton<DetectorRunner>();
        services.TryAddSingleton<RiskWriter>();
        services.TryAddSingleton<DetectionBatchProcessor>();
        services.TryAddSingleton<DetectionClientCleanup>();
        services.TryAddSingleton(static sp => new DetectionStatus(
            sp.GetRequiredService<EnabledDetectors>(), sp.GetRequiredService<DetectionEmbedders>(), sp.GetRequiredService<DetectionQueue>(),
            sp.GetRequiredService<IOptions<DetectionOptions>>(), sp.GetService<LearnedModelHost>()));
        services.TryAddSingleton<IDetectorStateStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisDetectorStateStore>(sp)
                : ActivatorUtilities.CreateInstance<InMemoryDetectorStateStore>(sp));
        if (!services.Any(d => d.ImplementationInstance is RiskFusionRegistration { Name: RiskFusionNames.Analytic }))
        {
            services.AddSingleton(new RiskFusionRegistration(RiskFusionNames.Analytic));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IRiskFusion, AnalyticRiskFusion>());
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseObserver, DetectionJsonObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStreamTransform, DetectionStreamTransform>());
        services.AddOptionsWithValidateOnStart<SybilLinkingOptions, SybilLinkingOptionsValidator>().Bind(configuration.GetSection(SybilLinkingOptions.SectionName));
        services.AddOptionsWithValidateOnStart<SybilLinkOptions, SybilLinkOptionsSectionValidator>().Bind(configuration.GetSection(SybilLinkingOptions.SectionName));
        services.TryAddSingleton<ISybilActivityStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisSybilActivityStore>(sp)
                : ActivatorUtilities.CreateInstance<InMemorySybilActivityStore>(sp));
        if (!services.Any(d => d.ServiceType == typeof(SybilLinker)))
        {
            services.AddSingleton<SybilLinker>();
            services.AddSingleton<IHostedService>(static sp => sp.GetRequiredService<SybilLinker>());
            services.AddSingleton<IClientDetectionData>(static sp => sp.GetRequiredService<ISybilActivityStore>());
        }

        services.AddOptionsWithValidateOnStart<CampaignOptions, CampaignOptionsValidator>().Bind(configuration.GetSection(CampaignOptions.SectionName));
        services.TryAddSingleton<ICampaignStore>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisCampaignStore>(sp)
                : ActivatorUtilities.CreateInstance<InMemoryCampaignStore>(sp));
        services.TryAddSingleton<CampaignTracker>();
        services.TryAddSingleton<WindowMmdReferences>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WindowMmdReferenceLoader>());
        // Before the pipeline: the learned model is loaded before the first batch is fused.
        services.AddLearnedScorer(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DetectionPipeline>());
        services.AddQueryDetector<ApiSurfaceDetector, ApiSurfaceOptions, ApiSurfaceOptionsValidator>(ApiSurfaceDetector.DetectorName, configuration);
        services.AddQueryDetector<B4BCoverageDetector, B4BCoverageOptions, B4BCoverageOptionsValidator>(B4BCoverageDetector.DetectorName, configuration);
        // The gateway's defaults where they differ from the library's; configuration (bound next) overrides them.
        services.Configure<PradaOptions>(o => (o.Delta, o.GrowingSetCapacity, o.DistanceCapacity) =
            (PradaQueryDetector.GatewayDelta, PradaQueryDetector.GatewayGrowingSetCapacity, PradaQueryDetector.GatewayDistanceCapacity));
        services.Configure<NearDuplicateOptions>(o => o.HistoryCapacity = NearDuplicateQueryDetector.GatewayHistoryCapacity);
        services.AddQueryDetector<PradaQueryDetector, PradaOptions, PradaQueryOptionsValidator>(PradaQueryDetector.DetectorName, configuration);
        services.AddOptionsWithValidateOnStart<NearDuplicateScoreOptions, NearDuplicateScoreOptionsValidator>()
            .Bind(configuration.GetSection($"{DetectionOptions.DetectorsSection}:{NearDuplicateQueryDetector.DetectorName}"));
        services.AddQueryDetector<NearDuplicateQueryDetector, NearDuplicateOptions, NearDuplicateQueryOptionsValidator>(NearDuplicateQueryDetector.DetectorName, configuration);
        services.AddQueryDetector<HarvestingQueryDetector, HarvestingOptions, HarvestingQueryOptionsValidator>(HarvestingQueryDetector.DetectorName, configuration);
        services.AddQueryDetector<WindowMmdQueryDetector, WindowMmdQueryOptions, WindowMmdQueryOptionsValidator>(WindowMmdQueryDetector.DetectorName, configuration);
        return services;
    }

    /// <summary>
    /// Registers a detector named <paramref name="name"/> (which must be its <see cref="IQueryDetector.Name"/>) with
    /// its options bound from <c>GenSafety:Detection:Detectors:{name}</c> and validated at start-up. It runs unless
    /// <c>GenSafety:Detection:Detectors:{name}:Enabled</c> says otherwise (default: <paramref name="enabledByDefault"/>).
    /// </summary>
    public static IServiceCollection AddQueryDetector<TDetector, TOptions, TValidator>(
        this IServiceCollection services, string name, IConfiguration configuration, bool enabledByDefault = true)
        where TDetector : class, IQueryDetector
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsRegistered(services, name))
        {
            services.AddOptionsWithValidateOnStart<TOptions, TValidator>().Bind(configuration.GetSection($"{DetectionOptions.DetectorsSection}:{name}"));
        }

        return services.AddQueryDetector<TDetector>(name, enabledByDefault);
    }

    /// <summary>Registers a detector without options of its own (see the overload with options).</summary>
    public static IServiceCollection AddQueryDetector<TDetector>(this IServiceCollection services, string name, bool enabledByDefault = true)
        where TDetector : class, IQueryDetector
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        if (!IsRegistered(services, name))
        {
            services.AddSingleton(new DetectorRegistration(name, enabledByDefault));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IQueryDetector, TDetector>());
        }

        return services;
    }

    private static bool IsRegistered(IServiceCollection services, string name)
        => services.Any(d => d.ServiceType == typeof(DetectorRegistration) && d.ImplementationInstance is DetectorRegistration r && r.Name == name);
}
