using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Coverage;
using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Detection.DetectionTestData;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class RiskWriterTests
{
    private readonly InMemoryRiskStore _risk = new(new RiskLadder(Options.Create(new EnforcementOptions())), new TestTimeProvider());

    private RiskWriter Writer(double coverageWeight = 1)
    {
        var options = new DetectionOptions();
        options.Detectors[B4BCoverageDetector.DetectorName] = new DetectorSettings { Weight = coverageWeight };
        var enabled = new EnabledDetectors(
            [ApiSurface(), new B4BCoverageDetector(Options.Create(new B4BCoverageOptions()))],
            [new DetectorRegistration("api-surface", true), new DetectorRegistration("b4b-coverage", true)],
            Options.Create(options));
        return new RiskWriter(enabled, [new AnalyticRiskFusion()], _risk, Options.Create(options), Metrics(), NullLogger<RiskWriter>.Instance);
    }

    [Fact]
    public async Task WriteAsync_TwoDetectors_WritesFusionAndEachContribution_AndCoverage()
    {
        var client = new ClientBatch("t1", "c1");

        await Writer(coverageWeight: 0.5).WriteAsync([client],
            [[new DetectorResult(0.6, "sweeping ids", null), new DetectorResult(0.4, "wide coverage", null) { EmbeddingCoverage = 0.3 }]], default);

        var snapshot = await _risk.GetAsync("t1", "c1", default);
        // 1 − (1 − 0.6)(1 − 0.5·0.4) = 0.68
        Assert.Equal(0.68, snapshot.Risk, 9);
        Assert.Equal(EnforcementLevel.Degrade, snapshot.Level);
        Assert.Equal(0.3, snapshot.Coverage);
        Assert.Equal(
            [("fusion", 0.68, "noisy-OR of api-surface 0.6, b4b-coverage 0.2"), ("api-surface", 0.6, "sweeping ids"), ("b4b-coverage", 0.2, "wide coverage")],
            snapshot.Reasons.Select(r => (r.Source, Math.Round(r.Score, 9), r.Reason)));
        var audit = await _risk.ReadAuditAsync("t1", "c1", 10, default);
        Assert.Equal(("fusion", EnforcementLevel.Degrade), (audit.Single().Actor, audit.Single().To));
    }

    [Fact]
    public async Task WriteAsync_BelowTheFloor_WritesNothing()
    {
        await Writer().WriteAsync([new ClientBatch("t1", "quiet")], [[new DetectorResult(0.01, "r", null), new DetectorResult(0.02, "r", null)]], default);

        var snapshot = await _risk.GetAsync("t1", "quiet", default);
        Assert.Empty(snapshot.Reasons);
        Assert.Null(snapshot.Coverage);
    }

    [Fact]
    public async Task WriteAsync_IsRaiseOnly_AQuieterBatchLeavesTheRisk()
    {
        var writer = Writer();
        await writer.WriteAsync([new ClientBatch("t1", "c2")], [[new DetectorResult(0.8, "loud", null), null]], default);

        await writer.WriteAsync([new ClientBatch("t1", "c2")], [[new DetectorResult(0.2, "quiet", null), null]], default);

        var snapshot = await _risk.GetAsync("t1", "c2", default);
        Assert.Equal(0.8, snapshot.Risk, 9);
        Assert.Equal(EnforcementLevel.ProofOfWork, snapshot.Level);
    }
}
