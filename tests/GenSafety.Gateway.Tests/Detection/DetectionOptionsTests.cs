using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class DetectionOptionsTests
{
    private static readonly DetectionOptionsValidator Validator = new(
        [new DetectorRegistration("api-surface", true), new DetectorRegistration("b4b-coverage", true)], [new RiskFusionRegistration(RiskFusionNames.Analytic)]);

    [Fact]
    public void Validate_Defaults_Pass() => Assert.True(Validator.Validate(null, new DetectionOptions()).Succeeded);

    [Fact]
    public void Validate_EveryProblem_ReportedWithItsKey()
    {
        var options = new DetectionOptions
        {
            QueueCapacity = 0, MaxBatchSize = 0, MaxBatchWait = TimeSpan.FromMinutes(1), StateTtl = TimeSpan.FromSeconds(1),
            Embedder = "bert", Fusion = "learned", RiskFloor = 1,
        };
        options.Tenants["bad:tenant"] = new DetectionTenantOptions { Embedder = "gpt" };
        options.Detectors["prada"] = new DetectorSettings();
        options.Detectors["api-surface"] = new DetectorSettings { Weight = 2 };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        foreach (var key in new[]
        {
            "QueueCapacity", "MaxBatchSize", "MaxBatchWait", "StateTtl", "RiskFloor", "Detection:Embedder", "Tenants:bad:tenant is not",
            "Tenants:bad:tenant:Embedder", "Fusion 'learned' is unknown", "Detectors:prada is not a registered detector",
            "Detectors:api-surface:Weight",
        })
        {
            Assert.Contains(failures, f => f.Contains(key, StringComparison.Ordinal));
        }

        Assert.Equal(11, failures.Count);
    }

    [Fact]
    public void GatewayBuild_BadDetectionSettings_FailWithTheOtherOptionErrors()
    {
        string[] args =
        [
            $"--Kestrel:Endpoints:Public:Url=http://127.0.0.1:{FreePort.Next()}",
            $"--Kestrel:Endpoints:Admin:Url=http://127.0.0.1:{FreePort.Next()}",
            "--GenSafety:Detection:Fusion=weighted",
            "--GenSafety:Detection:Detectors:api-surface:WindowRequests=1",
            "--GenSafety:Detection:Detectors:b4b-coverage:EmbeddingSaturatingCoverage=2",
            "--GenSafety:Detection:Embeddings:Hashing:Dimensions=1",
            "--Logging:LogLevel:Default=None",
        ];

        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(GatewayApp.CreateBuilder(args)));

        Assert.Contains(error.Failures, m => m.Contains("GenSafety:Admin:Token", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("GenSafety:Detection:Fusion 'weighted' is unknown", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("api-surface:WindowRequests", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("b4b-coverage:EmbeddingFreeCoverage", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("Hashing", StringComparison.Ordinal) && m.Contains("Dimensions", StringComparison.Ordinal));
    }
}
