using GenSafety.Detectors.Images;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Memorization;

public sealed class MemorizationOptionsTests
{
    private static readonly MemorizationOptionsValidator Validator = new();

    [Fact]
    public void Validate_Defaults_Pass() => Assert.True(Validator.Validate(null, new MemorizationOptions()).Succeeded);

    [Fact]
    public void Validate_EveryProblem_ReportedWithItsKey()
    {
        var options = new MemorizationOptions
        {
            ThresholdChars = 3, NonStreamingAction = "replace", ImageAction = "redact", ImageMaxHammingDistance = 300,
            BulkTextPath = "/no/such/folder", BulkImagesPath = "/no/such/images", MaxAdminBodyBytes = 10, MaxItemsPerRequest = 0,
            MaxDocumentChars = 0, ReloadCheckInterval = TimeSpan.Zero, PrefixPromptRisk = 2, DivergencePromptRisk = -1, DivergentOutputRisk = double.NaN,
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        foreach (var key in new[]
        {
            "ThresholdChars", "NonStreamingAction", "ImageAction", "ImageMaxHammingDistance", "BulkTextPath", "BulkImagesPath",
            "MaxAdminBodyBytes", "MaxItemsPerRequest", "MaxDocumentChars", "ReloadCheckInterval", "PrefixPromptRisk", "DivergencePromptRisk", "DivergentOutputRisk",
        })
        {
            Assert.Contains(failures, f => f.Contains("GenSafety:Memorization:" + key, StringComparison.Ordinal));
        }

        Assert.Equal(13, failures.Count);
    }

    [Fact]
    public void GatewayBuild_BadMemorizationSettings_FailWithTheOtherOptionErrors()
    {
        string[] args =
        [
            $"--Kestrel:Endpoints:Public:Url=http://127.0.0.1:{FreePort.Next()}",
            $"--Kestrel:Endpoints:Admin:Url=http://127.0.0.1:{FreePort.Next()}",
            "--GenSafety:Memorization:NonStreamingAction=shout",
            "--Logging:LogLevel:Default=None",
        ];

        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(GatewayApp.CreateBuilder(args)));

        Assert.Contains(error.Failures, m => m.Contains("GenSafety:Admin:Token", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("GenSafety:Memorization:NonStreamingAction", StringComparison.Ordinal));
    }

    [Fact]
    public void Thresholds_SetTheLibraryIndexOptions()
    {
        var services = new ServiceCollection().AddLogging();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GenSafety:Memorization:ThresholdChars"] = "200",
            ["GenSafety:Memorization:Text:StopCharacters"] = "400",
            ["GenSafety:Memorization:ImageMaxHammingDistance"] = "20",
        }).Build();
        using var provider = services.AddGatewayMemorization(configuration).BuildServiceProvider();

        Assert.Equal(200, provider.GetRequiredService<IOptions<ProtectedTextIndexOptions>>().Value.StopCharacters);
        Assert.Equal(20, provider.GetRequiredService<IOptions<ProtectedImageIndexOptions>>().Value.MaxDistance);
    }
}
