using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.Degrade;

public sealed class DegradeOptionsValidatorTests
{
    private readonly DegradeOptionsValidator _validator = new();

    [Fact]
    public void Defaults_AreValid()
    {
        var options = new DegradeOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal((1, 0.5, LogitBiasMode.Strip, 1, 256), (options.MaxTopLogprobs, options.LogprobQuantum, options.LogitBias, options.MaxN, options.MaxTokens));
        Assert.Equal((1e-6, 0.8, 80.0, 0.0), (options.NoiseLambda, options.NoiseAlpha, options.NoiseBeta, options.DefaultCoverage));
    }

    [Fact]
    public void EveryInvalidSetting_IsReportedAtOnce_WithItsFullKey()
    {
        var options = new DegradeOptions
        {
            MaxTopLogprobs = 21,
            LogprobQuantum = 0,
            LogitBias = (LogitBiasMode)7,
            MaxN = 0,
            MaxTokens = 0,
            NoiseLambda = double.NaN,
            NoiseAlpha = -1,
            NoiseBeta = double.PositiveInfinity,
            DefaultCoverage = 1.5,
            MinNoiseSigma = -0.1,
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        string[] keys = ["MaxTopLogprobs", "LogprobQuantum", "LogitBias", "MaxN", "MaxTokens", "NoiseLambda must", "NoiseAlpha must be a finite", "NoiseBeta", "DefaultCoverage", "MinNoiseSigma"];
        Assert.All(keys, key => Assert.Contains(result.Failures!, f => f.StartsWith($"GenSafety:Enforcement:Degrade:{key}", StringComparison.Ordinal)));
        Assert.Equal(keys.Length, result.Failures!.Count());
    }

    [Fact]
    public void AlphaNotAboveLambda_IsReported()
    {
        var result = _validator.Validate(null, new DegradeOptions { NoiseAlpha = 1e-6 });

        Assert.Equal(
            "GenSafety:Enforcement:Degrade:NoiseAlpha must be greater than GenSafety:Enforcement:Degrade:NoiseLambda.",
            Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0.8, 80)]
    [InlineData(-3, 0)]
    [InlineData(double.NaN, 100)]
    [InlineData(7, 100)]
    public void SigmaFor_TakesCoverageAsFraction_Clamped(double coverage, double percent)
    {
        // λ·((α/λ)^(c/β) − 1), written with Pow rather than the production Exp/Log; the pure curve with no floor,
        // and with the default floor of 0.3.
        var expected = 1e-6 * (Math.Pow(0.8 / 1e-6, percent / 80) - 1);

        Assert.Equal(expected, new DegradeOptions { MinNoiseSigma = 0 }.SigmaFor(coverage), 1e-9);
        Assert.Equal(Math.Max(0.3, expected), new DegradeOptions().SigmaFor(coverage), 1e-9);
    }

    [Fact]
    public void AddDegrade_BindsSection_RegistersEachServiceOnce()
    {
        var configuration = Configuration(new()
        {
            ["GenSafety:Enforcement:Degrade:LogitBias"] = "reject",
            ["GenSafety:Enforcement:Degrade:MaxTokens"] = "64",
        });
        var collection = new ServiceCollection().AddLogging();
        collection.AddDegrade(configuration).AddDegrade(configuration);
        using var services = collection.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<DegradeOptions>>().Value;
        Assert.Equal((LogitBiasMode.Reject, 64), (options.LogitBias, options.MaxTokens));
        Assert.IsType<DegradeJsonTransform>(Assert.Single(services.GetServices<IJsonResponseTransform>()));
        Assert.IsType<DegradeStreamTransform>(Assert.Single(services.GetServices<IStreamTransform>()));
        Assert.NotNull(services.GetRequiredService<DegradeRequestShaper>());
    }

    [Fact]
    public void AddDegrade_InvalidSection_FailsWithEveryError()
    {
        var configuration = Configuration(new()
        {
            ["GenSafety:Enforcement:Degrade:MaxN"] = "0",
            ["GenSafety:Enforcement:Degrade:DefaultCoverage"] = "2",
        });
        using var services = new ServiceCollection().AddLogging().AddDegrade(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DegradeOptions>>().Value);

        Assert.Equal(2, ex.Failures.Count());
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
