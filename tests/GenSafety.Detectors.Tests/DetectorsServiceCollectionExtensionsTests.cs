using GenSafety.Detectors.Embeddings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Tests;

public sealed class DetectorsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddDetectorEmbeddings_Configured_KeyedEmbeddersUseSettings()
    {
        await using var services = Build(new()
        {
            ["GenSafety:Detection:Embeddings:Hashing:Dimensions"] = "128",
            ["GenSafety:Detection:Embeddings:Hashing:Seed"] = "7",
            ["GenSafety:Detection:Embeddings:MiniLm:Provider"] = "cpu",
            ["GenSafety:Detection:Embeddings:MiniLm:MaxTokens"] = "32",
        });
        services.GetRequiredService<IStartupValidator>().Validate();

        var hashing = services.GetRequiredKeyedService<ITextEmbedder>(EmbedderNames.Hashing);
        var miniLm = services.GetRequiredKeyedService<ITextEmbedder>(EmbedderNames.MiniLm);

        Assert.Same(services.GetRequiredService<HashingEmbedder>(), hashing);
        Assert.Same(services.GetRequiredService<MiniLmEmbedder>(), miniLm);
        Assert.Equal(128, hashing.Dimensions);
        Assert.Equal(new HashingEmbedder(new HashingEmbedderOptions { Dimensions = 128, Seed = 7 }).Embed("seeded"), (await hashing.EmbedAsync(["seeded"]))[0]);
        Assert.Equal(ExecutionProviderNames.Cpu, ((MiniLmEmbedder)miniLm).ExecutionProvider);
        Assert.Equal(32, ((MiniLmEmbedder)miniLm).Tokenize(string.Join(' ', Enumerable.Repeat("w", 100))).Length);
    }

    [Fact]
    public async Task AddDetectorEmbeddings_InvalidSettings_StartupValidationListsEveryError()
    {
        await using var services = Build(new()
        {
            ["GenSafety:Detection:Embeddings:Hashing:Dimensions"] = "4",
            ["GenSafety:Detection:Embeddings:Hashing:MinNgram"] = "0",
            ["GenSafety:Detection:Embeddings:MiniLm:MaxBatchSize"] = "0",
        });

        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var messages = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToArray();
        Assert.Equal(3, messages.Length);
        Assert.Contains(messages, m => m.Contains("Hashing:Dimensions", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Hashing:MinNgram", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("MiniLm:MaxBatchSize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddDetectorEmbeddings_CalledTwice_OneEmbedderPerName()
    {
        var configuration = new ConfigurationBuilder().Build();
        var collection = new ServiceCollection().AddDetectorEmbeddings(configuration).AddDetectorEmbeddings(configuration);
        await using var services = collection.BuildServiceProvider();

        Assert.Single(collection, d => d.ServiceType == typeof(HashingEmbedder));
        Assert.Single(collection, d => d.ServiceType == typeof(ITextEmbedder) && Equals(d.ServiceKey, EmbedderNames.Hashing));
        Assert.Same(services.GetRequiredKeyedService<ITextEmbedder>(EmbedderNames.Hashing), services.GetRequiredService<HashingEmbedder>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddDetectorEmbeddings(configuration).BuildServiceProvider();
    }
}
