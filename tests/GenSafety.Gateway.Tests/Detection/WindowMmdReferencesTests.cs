using GenSafety.Gateway.Detection.Sybil;
using GenSafety.Gateway.Detection.WindowMmd;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Detection.ExtractionTestTraffic;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>Window MMD's per-tenant references (loading, calibration, scoring) and the new options' validation.</summary>
public sealed class WindowMmdReferencesTests
{
    private static (WindowMmdReferences References, WindowMmdQueryOptions Options) References(string tenant, string path)
    {
        var options = new WindowMmdQueryOptions();
        options.Tenants[tenant] = new WindowMmdTenantOptions { ReferencePath = path };
        return (new WindowMmdReferences(Options.Create(options)), options);
    }

    [Fact]
    public async Task Load_CalibratesPerTenant_ScoresAForeignWindowHigh_ABenignOneLow()
    {
        var (references, options) = References("acme", RedisDetectionServices.WriteReference(streams: 8, perStream: 80, seed: 21));
        var loaded = await references.LoadAsync(_ => Embedder, default);
        var detector = new WindowMmdQueryDetector(references, Options.Create(options));
        var random = new Random(22);
        var benign = Enumerable.Range(0, 60).Select(i => Chat("b", DetectionTestData.Start.AddSeconds(i), Question(random)) with { Tenant = "acme" }).ToList();
        var foreign = Enumerable.Range(0, 60).Select(i => Chat("f", DetectionTestData.Start.AddSeconds(i), Alpaca(random)) with { Tenant = "acme" }).ToList();

        var (benignResult, _) = await RunAsync(detector, benign);
        var (foreignResult, _) = await RunAsync(detector, foreign);

        var (tenant, prompts, streams, dimensions, threshold) = Assert.Single(loaded);
        Assert.Equal(("acme", 640, 8, 256), (tenant, prompts, streams, dimensions));
        Assert.True(threshold > 0);
        Assert.True(foreignResult.Score >= 0.5, foreignResult.Reason);
        Assert.True(benignResult.Score < 0.3, benignResult.Reason);
        Assert.StartsWith("active: 640 reference prompts", references.Status["acme"]);
        Assert.False(detector.NeedsQueryVector(Chat("x", DetectionTestData.Start, "hello")));
    }

    [Fact]
    public async Task Load_TooFewPromptsOrNoFullWindow_FailsNamingTheTenant()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gs-mmd-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 20).Select(i => $$"""{"stream":"s{{i}}","text":"question {{i}} about tides"}"""));
        var (references, _) = References("acme", path);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => references.LoadAsync(_ => Embedder, default));

        Assert.Contains("Tenants:acme:ReferencePath", error.Message);
        Assert.StartsWith("inactive", references.Status["acme"]);
    }

    [Fact]
    public async Task Load_NotJsonl_FailsWithTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gs-mmd-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(path, ["""{"text":"fine"}""", "", "plain text"]);
        var (references, _) = References("acme", path);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => references.LoadAsync(_ => Embedder, default));

        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void Validators_ReportEveryProblem()
    {
        var mmd = new WindowMmdQueryOptions { WindowSize = 4, TargetFalsePositiveRate = 0.01, CalibrationWindows = 50, AlarmRatio = 0 };
        mmd.Tenants["acme"] = new WindowMmdTenantOptions { ReferencePath = "/nonexistent/ref.jsonl" };
        var sybil = new SybilLinkingOptions { Interval = TimeSpan.Zero, MaxClients = 1, NetworkWeight = 2, MinClusterRisk = 0 };

        var mmdFailures = new WindowMmdQueryOptionsValidator().Validate(null, mmd).Failures!;
        var sybilFailures = new SybilLinkingOptionsValidator().Validate(null, sybil).Failures!;

        Assert.Equal(4, mmdFailures.Count(f => f.StartsWith("GenSafety:Detection:Detectors:window-mmd:", StringComparison.Ordinal)));
        Assert.Contains(mmdFailures, f => f.Contains("not found", StringComparison.Ordinal));
        Assert.Equal(4, sybilFailures.Count(f => f.StartsWith("GenSafety:Detection:SybilLinking:", StringComparison.Ordinal)));
        Assert.Contains(new SybilLinkOptionsSectionValidator().Validate(null, new() { LinkThreshold = 0 }).Failures!,
            f => f.StartsWith("GenSafety:Detection:SybilLinking:LinkThreshold", StringComparison.Ordinal));
    }
}
