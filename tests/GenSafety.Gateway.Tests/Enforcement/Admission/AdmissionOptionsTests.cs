using GenSafety.Gateway.Enforcement.Admission;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.Admission;

public sealed class AdmissionOptionsTests
{
    [Fact]
    public void Validate_ReportsEveryErrorAtOnce()
    {
        var options = new AdmissionOptions { ReplicaCount = 0, FailureMode = "sideways", StreamSlotTtl = TimeSpan.Zero };
        options.Policies["bad:name"] = new PolicyOptions();
        options.Policies["ok"] = new PolicyOptions { RequestsPerMinute = -1, TokensPerMinute = -5, DailyTokenQuota = -1 };

        ValidateOptionsResult result = new AdmissionOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(7, result.Failures!.Count());
    }

    [Fact]
    public void AddAdmission_BindsPolicies_UnknownPolicyGetsDefault()
    {
        using ServiceProvider services = AdmissionTestServices.Build(new Dictionary<string, string?>
        {
            ["GenSafety:Policies:default:RequestsPerMinute"] = "60",
            ["GenSafety:Policies:default:DefaultMaxTokens"] = "256",
            ["GenSafety:Policies:gold:TokensPerMinute"] = "100000",
            ["GenSafety:Policies:gold:MaxConcurrentStreams"] = "0",
        });
        var policies = services.GetRequiredService<AdmissionPolicies>();

        Assert.Equal(new PolicyLimits("gold", 0, 100_000, 0, 0, 0), policies.Resolve("GOLD"));
        PolicyLimits fallback = policies.Resolve("nonexistent");
        Assert.Equal(new PolicyLimits("default", 60, 0, 0, 0, 256), fallback);
        Assert.Same(fallback, policies.Resolve(null));
        Assert.Equal(256, fallback.ReserveOutputTokens(null));
        Assert.Equal(10, fallback.ReserveOutputTokens(10));
        Assert.IsType<InMemoryAdmissionStore>(services.GetRequiredService<IAdmissionStore>());
    }

    [Fact]
    public void AddAdmission_WithoutDefault_DefaultIsUnlimited()
    {
        using ServiceProvider services = AdmissionTestServices.Build([]);
        Assert.False(services.GetRequiredService<AdmissionPolicies>().Resolve("x").HasLimits);
    }

    [Fact]
    public void AddAdmission_InvalidSettings_FailOnResolve()
    {
        using ServiceProvider services = AdmissionTestServices.Build(new Dictionary<string, string?>
        {
            ["GenSafety:Policies:default:RequestsPerMinute"] = "-1",
            ["GenSafety:Redis:FailureMode"] = "maybe",
        });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AdmissionOptions>>().Value);
        Assert.Equal(2, ex.Failures.Count());
    }

    [Fact]
    public void PerReplica_DividesLimits_KeepsUnlimited()
    {
        var limits = new PolicyLimits("p", 100, 1000, 3, 0, 50);
        Assert.Equal(new PolicyLimits("p", 25, 250, 1, 0, 50), limits.PerReplica(4));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(20, "20ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(360_000, "6m0s")]
    public void FormatReset_LikeOpenAi(long ms, string expected) =>
        Assert.Equal(expected, AdmissionDecision.FormatReset(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void Headers_RejectedDecision_HasRateLimitHeadersAndRetryAfter()
    {
        var decision = new AdmissionDecision
        {
            Admitted = false,
            Limit = AdmissionLimit.Requests,
            RetryAfter = TimeSpan.FromMilliseconds(1200),
            Requests = new RateLimitStatus(60, 0, TimeSpan.FromSeconds(60)),
        };
        Assert.Equal(
            [new("x-ratelimit-limit-requests", "60"), new("x-ratelimit-remaining-requests", "0"), new("x-ratelimit-reset-requests", "1m0s"), new("retry-after", "2")],
            decision.Headers().ToArray());
    }
}
