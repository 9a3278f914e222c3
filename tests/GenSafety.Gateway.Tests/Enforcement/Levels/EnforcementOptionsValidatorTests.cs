using GenSafety.Gateway.Enforcement.Levels;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.Levels;

public class EnforcementOptionsValidatorTests
{
    private const string Risk = EnforcementOptions.RiskSection;
    private const string HysteresisError = "Hysteresis must be at least 0 and smaller than the smallest gap";

    [Fact]
    public void Validate_Defaults_Succeed() => Assert.Empty(Errors(LevelsTestServices.NewOptions()));

    [Fact]
    public void Validate_Boundaries_Succeed() => Assert.Empty(Errors(LevelsTestServices.NewOptions(o =>
    {
        (o.DelayThreshold, o.DegradeThreshold, o.ProofOfWorkThreshold, o.BlockThreshold, o.Hysteresis) = (0.2, 0.4, 0.6, 1, 0.15);
        (o.HalfLife, o.BlockDuration) = (TimeSpan.Zero, TimeSpan.FromSeconds(1));
        (o.MinDelay, o.MaxDelay, o.StateTtl) = (TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        o.AuditMaxLength = 1;
        o.Actions["L0"] = "none";
        o.Actions["l4"] = "block";
        o.Routes["embeddings"] = new() { ["L2"] = "degrade,pow" };
        o.Policies["gold"] = new() { ["L3"] = "" };
    })));

    [Theory]
    // Thresholds: each in (0, 1] ...
    [InlineData("BlockThreshold", "1.1", "BlockThreshold must be in (0, 1].")]
    [InlineData("DelayThreshold", "NaN", "DelayThreshold must be in (0, 1].")]
    [InlineData("DelayThreshold", "0", "DelayThreshold must be in (0, 1].", HysteresisError)]
    [InlineData("DelayThreshold", "-0.1", "DelayThreshold must be in (0, 1].", HysteresisError)]
    // ... and strictly increasing (an empty band also leaves no room for hysteresis).
    [InlineData("DegradeThreshold", "0.3", $"{Risk}:DegradeThreshold must be greater than {Risk}:DelayThreshold.", HysteresisError)]
    [InlineData("BlockThreshold", "0.6", $"{Risk}:BlockThreshold must be greater than {Risk}:ProofOfWorkThreshold.", HysteresisError)]
    // Hysteresis: in [0, smallest gap), the first threshold counting as a gap.
    [InlineData("Hysteresis", "0.25", HysteresisError)]
    [InlineData("Hysteresis", "-0.01", HysteresisError)]
    [InlineData("Hysteresis", "NaN", HysteresisError)]
    [InlineData("HalfLife", "-00:00:00.001", "HalfLife must be between 0 (no decay) and 365 days.")]
    [InlineData("HalfLife", "366.00:00:00", "HalfLife must be between 0 (no decay) and 365 days.")]
    [InlineData("BlockDuration", "00:00:00.999", "BlockDuration must be between 1 second and 365 days.")]
    [InlineData("BlockDuration", "366.00:00:00", "BlockDuration must be between 1 second and 365 days.")]
    [InlineData("MinDelay", "-00:00:00.001", "MinDelay and MaxDelay must satisfy 0 <= MinDelay <= MaxDelay <= 1 minute.")]
    [InlineData("MinDelay", "00:00:03", "MinDelay and MaxDelay must satisfy 0 <= MinDelay <= MaxDelay <= 1 minute.")]
    [InlineData("MaxDelay", "00:01:00.001", "MinDelay and MaxDelay must satisfy 0 <= MinDelay <= MaxDelay <= 1 minute.")]
    [InlineData("StateTtl", "00:00:59", "StateTtl must be at least 1 minute.")]
    [InlineData("AuditMaxLength", "0", "AuditMaxLength must be between 1 and 10000000.")]
    [InlineData("AuditMaxLength", "10000001", "AuditMaxLength must be between 1 and 10000000.")]
    public void Validate_RiskRule_ReportedFromConfiguration(string key, string value, params string[] expected) =>
        AssertFailures(ConfigurationErrors(new() { [$"{Risk}:{key}"] = value }), expected);

    [Fact]
    public void Validate_HysteresisNotBelowFirstThreshold_Reported() =>
        AssertFailures(Errors(LevelsTestServices.NewOptions(o => (o.DelayThreshold, o.Hysteresis) = (0.1, 0.1))), HysteresisError);

    [Theory]
    [InlineData("GenSafety:Enforcement:Actions:L2", "captcha", "GenSafety:Enforcement:Actions:L2: 'captcha' is not a comma-separated list of none, delay, degrade, pow, block.")]
    [InlineData("GenSafety:Enforcement:Actions:L1", "delay,captcha", "GenSafety:Enforcement:Actions:L1: 'delay,captcha' is not a comma-separated list")]
    [InlineData("GenSafety:Enforcement:Actions:L5", "delay", "GenSafety:Enforcement:Actions:L5: levels are named L0 to L4.")]
    [InlineData("GenSafety:Enforcement:Routes:embeddings:Actions:L3", "slow", "GenSafety:Enforcement:Routes:embeddings:Actions:L3: 'slow' is not")]
    [InlineData("GenSafety:Enforcement:Routes:embeddings:Actions:Block", "block", "GenSafety:Enforcement:Routes:embeddings:Actions:Block: levels are named L0 to L4.")]
    [InlineData("GenSafety:Policies:gold:Actions:L4", "ban", "GenSafety:Policies:gold:Actions:L4: 'ban' is not")]
    [InlineData("GenSafety:Policies:gold:Actions:Level2", "delay", "GenSafety:Policies:gold:Actions:Level2: levels are named L0 to L4.")]
    public void Validate_BadActionTable_ReportedWithItsKey(string key, string value, string expected) =>
        AssertFailures(ConfigurationErrors(new() { [key] = value }), expected);

    [Fact]
    public void Validate_EveryProblem_ReportedAtOnce()
    {
        EnforcementOptions options = LevelsTestServices.NewOptions(o =>
        {
            (o.DegradeThreshold, o.BlockThreshold) = (0.3, 1.5);
            (o.HalfLife, o.BlockDuration) = (TimeSpan.FromSeconds(-1), TimeSpan.Zero);
            (o.MaxDelay, o.StateTtl) = (TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30));
            o.AuditMaxLength = 0;
            o.Actions["L2"] = "captcha";
            o.Actions["L7"] = "delay";
            o.Routes["embeddings"] = new() { ["L1"] = "x" };
            o.Policies["gold"] = new() { ["L3"] = "y" };
        });

        AssertFailures(
            Errors(options),
            "DegradeThreshold must be greater than",
            "BlockThreshold must be in (0, 1].",
            HysteresisError,
            "HalfLife must be",
            "BlockDuration must be",
            "MinDelay and MaxDelay must",
            "StateTtl must be",
            "AuditMaxLength must be",
            "GenSafety:Enforcement:Actions:L2: 'captcha'",
            "GenSafety:Enforcement:Actions:L7: levels",
            "GenSafety:Enforcement:Routes:embeddings:Actions:L1: 'x'",
            "GenSafety:Policies:gold:Actions:L3: 'y'");
    }

    [Fact]
    public void AddEnforcementLevels_BindsEverySection()
    {
        EnforcementOptions options = LevelsTestServices.BindOptions(new Dictionary<string, string?>
        {
            [$"{Risk}:HalfLife"] = "00:30:00",
            [$"{Risk}:DelayThreshold"] = "0.2",
            [$"{Risk}:DegradeThreshold"] = "0.4",
            [$"{Risk}:ProofOfWorkThreshold"] = "0.6",
            [$"{Risk}:BlockThreshold"] = "0.8",
            [$"{Risk}:Hysteresis"] = "0.1",
            [$"{Risk}:BlockDuration"] = "00:05:00",
            [$"{Risk}:MinDelay"] = "00:00:00.050",
            [$"{Risk}:MaxDelay"] = "00:00:01",
            [$"{Risk}:StateTtl"] = "1.00:00:00",
            [$"{Risk}:AuditMaxLength"] = "500",
            ["GenSafety:Enforcement:Actions:L1"] = "none",
            ["GenSafety:Enforcement:Actions:L4"] = "block,delay",
            ["GenSafety:Enforcement:Routes:embeddings:Actions:L2"] = "block",
            ["GenSafety:Policies:gold:Actions:L3"] = "delay",
            ["GenSafety:Policies:silver:RequestsPerMinute"] = "10",
        });

        Assert.Equal(TimeSpan.FromMinutes(30), options.HalfLife);
        Assert.Equal([0.2, 0.4, 0.6, 0.8], options.Thresholds);
        Assert.Equal(0.1, options.Hysteresis);
        Assert.Equal(TimeSpan.FromMinutes(5), options.BlockDuration);
        Assert.Equal((TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)), (options.MinDelay, options.MaxDelay));
        Assert.Equal(TimeSpan.FromDays(1), options.StateTtl);
        Assert.Equal(500, options.AuditMaxLength);
        Assert.Equal(new Dictionary<string, string> { ["L1"] = "none", ["L4"] = "block,delay" }, options.Actions);
        KeyValuePair<string, Dictionary<string, string>> route = Assert.Single(options.Routes);
        Assert.Equal(("embeddings", "block"), (route.Key, route.Value["L2"]));
        // Only policies with an Actions section get a table.
        Assert.Equal("delay", Assert.Single(options.Policies).Value["l3"]);
        Assert.True(options.Policies.ContainsKey("GOLD"));
    }

    [Fact]
    public void AddEnforcementLevels_InvalidConfiguration_ThrowsWithEveryFailure()
    {
        IReadOnlyList<string> errors = ConfigurationErrors(new()
        {
            [$"{Risk}:AuditMaxLength"] = "0",
            ["GenSafety:Enforcement:Actions:L2"] = "captcha",
        });
        AssertFailures(errors, "AuditMaxLength must be", "GenSafety:Enforcement:Actions:L2: 'captcha'");
    }

    private static IReadOnlyList<string> Errors(EnforcementOptions options)
    {
        ValidateOptionsResult result = new EnforcementOptionsValidator().Validate(Options.DefaultName, options);
        Assert.Equal(result.Failed, !result.Succeeded);
        return result.Failed ? [.. result.Failures!] : [];
    }

    private static IReadOnlyList<string> ConfigurationErrors(Dictionary<string, string?> settings)
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => LevelsTestServices.BindOptions(settings));
        Assert.Equal(typeof(EnforcementOptions), ex.OptionsType);
        return [.. ex.Failures];
    }

    /// <summary>Exactly one failure per expected fragment, each containing it.</summary>
    private static void AssertFailures(IReadOnlyList<string> failures, params string[] expected)
    {
        Assert.True(expected.Length == failures.Count, $"Expected {expected.Length} failures, got:\n{string.Join('\n', failures)}");
        foreach (string fragment in expected)
        {
            Assert.Contains(failures, f => f.Contains(fragment, StringComparison.Ordinal));
        }
    }
}
