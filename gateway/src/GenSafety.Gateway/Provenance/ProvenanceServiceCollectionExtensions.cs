using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Streaming;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Text.Lexical;
using GenSafety.Watermarking.Text.Unigram;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers output provenance (<c>GenSafety:Watermarking</c>).</summary>
public static class ProvenanceServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="ProvenanceOptions"/> and the library's <c>Keys</c>, <c>UnigramBias</c>,
    /// <c>Lexical</c> and <c>Image</c> sub-sections; registers the schemes, the ledger (Redis when
    /// <c>GenSafety:Redis:ConnectionString</c> is set, else memory), the background ledger writer, the recorder, the text
    /// and image verifiers, the metrics and the JSON, image and stream transforms (which do nothing while provenance is
    /// disabled).
    /// </summary>
    public static IServiceCollection AddProvenance(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptionsWithValidateOnStart<ProvenanceOptions, ProvenanceOptionsValidator>().Bind(configuration.GetSection(ProvenanceOptions.SectionName));
        services.AddOptionsWithValidateOnStart<KeyRingOptions, KeyRingOptionsValidator>().Bind(configuration.GetSection(KeyRingOptions.SectionName));
        services.AddOptionsWithValidateOnStart<UnigramBiasOptions, UnigramBiasOptionsValidator>().Bind(configuration.GetSection(UnigramBiasOptions.SectionName));
        services.AddOptionsWithValidateOnStart<LexicalOptions, LexicalOptionsValidator>().Bind(configuration.GetSection(LexicalOptions.SectionName));
        services.AddOptionsWithValidateOnStart<ImageWatermarkOptions, ImageWatermarkOptionsValidator>().Bind(configuration.GetSection(ImageWatermarkOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProvenanceMetrics>();
        services.TryAddSingleton<ProvenanceSchemes>();
        services.TryAddSingleton<IProvenanceLedger>(static sp =>
            sp.GetRequiredService<IOptions<StateStoreOptions>>().Value.UsesRedis
                ? ActivatorUtilities.CreateInstance<RedisProvenanceLedger>(sp)
                : ActivatorUtilities.CreateInstance<InMemoryProvenanceLedger>(sp));
        services.TryAddSingleton<ProvenanceLedgerWriter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProvenanceLedgerWriter>(static sp => sp.GetRequiredService<ProvenanceLedgerWriter>()));
        services.TryAddSingleton<ProvenanceRecorder>();
        services.TryAddSingleton<TextVerifier>();
        services.TryAddSingleton<ImageVerifier>();
        services.TryAddSingleton<ClientAuthenticationFilter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseTransform, ProvenanceJsonTransform>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseTransform, EmbeddingRotationTransform>());
        // After the memorization transforms (AddGatewayMemorization comes first): the leak filter sees unmarked images.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJsonResponseTransform, ImageProvenanceTransform>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStreamTransform, ProvenanceStreamTransform>());
        return services;
    }
}
