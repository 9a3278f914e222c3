using GenSafety.ReferenceModel.Completions;
using GenSafety.ReferenceModel.Embeddings;
using GenSafety.ReferenceModel.Images;
using GenSafety.ReferenceModel.Models;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Hosting;

/// <summary>DI registration of the reference model.</summary>
internal static class ReferenceModelServiceCollectionExtensions
{
    public static IServiceCollection AddReferenceModel(this IServiceCollection services, Action<ReferenceModelOptions>? configure)
    {
        var options = services.AddOptions<ReferenceModelOptions>().BindConfiguration(ReferenceModelOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReferenceModelOptions>, ReferenceModelOptionsValidator>());
        services.TryAddSingleton<ReferenceModelActivity>();
        services.TryAddSingleton<TextModelService>();
        services.TryAddSingleton<ChatCompletionsEndpoint>();
        services.TryAddSingleton<CompletionsEndpoint>();
        services.TryAddSingleton<EmbeddingsEndpoint>();
        services.TryAddSingleton<ImagesEndpoint>();
        services.TryAddSingleton<ModelsEndpoint>();
        services.AddHostedService<TextModelWarmup>();
        return services;
    }
}
