using GenSafety.Detectors.Memorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Tests;

public sealed class MemorizationServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddMemorizationGuard(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void AddMemorizationGuard_BindsSettings()
    {
        using var provider = Build(new()
        {
            ["GenSafety:Memorization:Text:StopCharacters"] = "200",
            ["GenSafety:Memorization:Text:Normalizer:CanonicalizeIdentifiers"] = "true",
            ["GenSafety:Memorization:Images:MaxDistance"] = "20",
        });

        var text = provider.GetRequiredService<IOptions<ProtectedTextIndexOptions>>().Value;
        Assert.Equal(200, text.StopCharacters);
        Assert.True(text.Normalizer.CanonicalizeIdentifiers);
        Assert.Equal(3, new ProtectedTextIndex(text).RequiredChunks);
        Assert.Equal(20, provider.GetRequiredService<IOptions<GenSafety.Detectors.Images.ProtectedImageIndexOptions>>().Value.MaxDistance);
        Assert.NotNull(provider.GetRequiredService<MemorizedRunDetector>());
    }

    [Fact]
    public void AddMemorizationGuard_InvalidSettings_ReportsEveryError()
    {
        using var provider = Build(new()
        {
            ["GenSafety:Memorization:Text:NgramWidth"] = "4",
            ["GenSafety:Memorization:Divergence:MinRepetitions"] = "1",
            ["GenSafety:Memorization:LogprobRuns:MaxTokenSurprisal"] = "0",
            ["GenSafety:Memorization:Images:MinQuality"] = "101",
        });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ProtectedTextIndexOptions>>().Value);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GenSafety.Detectors.Divergence.StreamDivergenceOptions>>().Value);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MemorizedRunOptions>>().Value);
        var images = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GenSafety.Detectors.Images.ProtectedImageIndexOptions>>().Value);
        Assert.Contains("MinQuality", images.Message, StringComparison.Ordinal);
    }
}
