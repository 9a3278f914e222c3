using GenSafety.Detectors.Extraction;
using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Extraction;

public sealed class NearDuplicateDetectorTests(ITestOutputHelper output)
{
    private static readonly VectorCodec Codec = SyntheticTraffic.Codec;
    private static readonly NearDuplicateDetector Detector = new(new NearDuplicateOptions(), Codec);

    [Fact]
    public void DefaultThreshold_IsTheBenignChatCalibration()
    {
        // SEAT's pick_thresh.py: the 0.1th percentile of benign k-NN mean distances. 100 chat clients × 300 queries.
        var benign = SyntheticTraffic.Streams(100, 5000, seed => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(seed, 300)));

        var calibrated = DetectorCalibration.NearDuplicateThreshold(Detector, benign, 0.001);

        output.WriteLine($"SEAT threshold at the 0.1th benign percentile: {calibrated:F4} (default {NearDuplicateOptions.DefaultThreshold})");
        Assert.Equal(NearDuplicateOptions.DefaultThreshold, calibrated, 0.01);
    }

    [Fact]
    public void Observe_BenignChatClients_StayLow()
    {
        var summary = DetectionRun.Summarise(DetectionRun.Clients(Detector, 200, 1000, seed => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(seed, 300))));

        output.WriteLine($"SEAT benign chat (200 × 300, held out from calibration): {summary}");
        Assert.Equal(0, summary.Alarmed);
        Assert.True(summary.MaxMaxScore <= 0.1, summary.ToString());
    }

    [Fact]
    public void Observe_NearDuplicateFlood_AlarmsWithinTwentyOneQueries()
    {
        var summary = DetectionRun.Summarise(DetectionRun.Clients(Detector, 20, 6000, seed => SyntheticTraffic.Embed(SyntheticTraffic.NearDuplicateFlood(seed, 300))));

        output.WriteLine($"SEAT near-duplicate flood: {summary}");
        Assert.Equal(20, summary.Alarmed);

        // k = 5 queries before the first measurement, then 16 of 32 flagged: 0.5 at query 21.
        Assert.Equal(21, summary.P90Queries);
    }

    [Fact]
    public void Observe_TemplateHarvesting_Alarms()
    {
        var summary = DetectionRun.Summarise(DetectionRun.Clients(Detector, 20, 6100, seed => SyntheticTraffic.Persona(seed, 300, SyntheticTraffic.Alpaca).Select(r => SyntheticTraffic.Embed(r.Prompt))));

        output.WriteLine($"SEAT Alpaca-style harvesting: {summary}");
        Assert.Equal(20, summary.Alarmed);
        Assert.True(summary.P90Queries <= 25, summary.ToString());
    }

    [Fact]
    public void Observe_ParaphraseChain_MostAlarm()
    {
        var summary = DetectionRun.Summarise(DetectionRun.Clients(Detector, 20, 6200, seed => SyntheticTraffic.Embed(SyntheticTraffic.PerturbationAttack(seed, 300))));

        output.WriteLine($"SEAT paraphrase chain (5 seeds, one- or two-word edits): {summary}");
        Assert.True(summary.Alarmed >= 12, summary.ToString());
        Assert.True(summary.MedianQueries <= 60, summary.ToString());
    }

    [Fact]
    public void Observe_TemplateApps_NeedTheirTenantsCalibration()
    {
        // Under the chat calibration a RAG app's prompts (one long template) are near-duplicates; calibrated on the
        // RAG tenant's own benign clients they are not, while Alpaca-style harvesting still is.
        List<float[]> Rag(ulong seed) => [.. SyntheticTraffic.Persona(seed, 300, SyntheticTraffic.Rag).Select(r => SyntheticTraffic.Embed(r.Prompt))];
        var ragTenant = SyntheticTraffic.Streams(40, 7000, Rag);
        var threshold = DetectorCalibration.NearDuplicateThreshold(Detector, ragTenant, 0.001);
        var tenantDetector = new NearDuplicateDetector(new NearDuplicateOptions { Threshold = threshold }, Codec);

        var underChat = DetectionRun.Summarise(DetectionRun.Clients(Detector, 20, 7100, Rag));
        var underTenant = DetectionRun.Summarise(DetectionRun.Clients(tenantDetector, 20, 7100, Rag));
        var harvest = DetectionRun.Summarise(DetectionRun.Clients(tenantDetector, 20, 7200, seed => SyntheticTraffic.Persona(seed, 300, SyntheticTraffic.Alpaca).Select(r => SyntheticTraffic.Embed(r.Prompt))));

        output.WriteLine($"SEAT RAG app under the chat threshold: {underChat}; RAG tenant threshold {threshold:F4}: RAG {underTenant}, Alpaca {harvest}");
        Assert.Equal(20, underChat.Alarmed);
        Assert.Equal(0, underTenant.Alarmed);
        Assert.Equal(20, harvest.Alarmed);
    }

    [Fact]
    public void Observe_FloodThenBenign_ScoreDecaysOverTheRecentWindow()
    {
        var state = Detector.CreateState();
        foreach (var vector in SyntheticTraffic.Embed(SyntheticTraffic.NearDuplicateFlood(1, 40)))
        {
            Detector.Observe(state, vector, DetectionRun.At);
        }

        Assert.Equal(1.0, Detector.Evaluate(state).Score);
        var benign = SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(2, 32));
        for (var i = 0; i < benign.Count; i++)
        {
            var signal = Detector.Observe(state, benign[i], DetectionRun.At);
            Assert.Equal((31.0 - i) / 32, signal.Score, 12);
        }
    }

    [Fact]
    public void Observe_KnownDistances_MeanOfTheKNearest()
    {
        var detector = new NearDuplicateDetector(new NearDuplicateOptions { Neighbours = 2, HistoryCapacity = 8, Threshold = 0.5 }, new VectorCodec(8, 8));
        var state = detector.CreateState();
        var query = Axis(0);
        float[][] history = [Axis(1), Mix(0.3f), Axis(2), Mix(0.1f)];
        foreach (var vector in history)
        {
            detector.Observe(state, vector, DetectionRun.At);
        }

        var signal = detector.Observe(state, query, DetectionRun.At);

        var expected = history.Select(v => Math.Sqrt(2 - (2 * Vectors.Cosine(v, query)))).Order().Take(2).Average();
        Assert.InRange(signal.Statistic, expected - 0.005, expected + 0.005);
        Assert.Equal(0.5, signal.Threshold);

        // Measured three times (queries 3, 4 and 5 had k = 2 earlier ones); only the last was within 0.5: 1 of 32.
        Assert.Equal(3, state.Measured);
        Assert.Equal(1.0 / 32, signal.Score, 12);

        static float[] Mix(float w) => Vectors.Normalize([1f, w, 0, 0, 0, 0, 0, 0]);
    }

    [Fact]
    public void Observe_BeforeKEarlierQueries_WarmingUp()
    {
        var state = Detector.CreateState();
        var random = new DeterministicRandom(3);
        for (var i = 0; i < 5; i++)
        {
            var signal = Detector.Observe(state, Vectors.RandomUnit(random, 256), DetectionRun.At);
            Assert.Equal(0.0, signal.Score);
            Assert.True(double.IsNaN(signal.Statistic));
        }

        Assert.False(double.IsNaN(Detector.Observe(state, Vectors.RandomUnit(random, 256), DetectionRun.At).Statistic));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            new NearDuplicateDetector(new NearDuplicateOptions { Neighbours = 10, HistoryCapacity = 10, Threshold = 0, RecentQueries = 65 }, Codec));

        Assert.Equal(3, error.Failures.Count());
    }

    private static float[] Axis(int index)
    {
        var v = new float[8];
        v[index] = 1f;
        return v;
    }
}
