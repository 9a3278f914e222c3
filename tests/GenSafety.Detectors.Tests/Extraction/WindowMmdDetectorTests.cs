using GenSafety.Detectors.Extraction;
using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Tests.TestSupport;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Extraction;

public sealed class WindowMmdDetectorTests(ITestOutputHelper output)
{
    private static readonly VectorCodec Codec = SyntheticTraffic.Codec;

    // The chat tenant: a reference of 256 prompts pooled from 64 clients, a threshold calibrated on 100 other clients.
    private static readonly Lazy<(WindowMmdDetector Detector, double Threshold)> ChatTenant = new(() =>
        Tenant(c => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(c, 300)), c => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(c, 4)), 0.01));

    [Fact]
    public void Calibrate_HeldOutBenignWindows_ExceedAtAboutTheTargetRate()
    {
        var (detector, threshold) = ChatTenant.Value;
        var heldOut = SyntheticTraffic.Streams(100, 1000, seed => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(seed, 300)));

        // The same bootstrap on held-out clients: the share of their windows above the threshold.
        var heldOutThreshold = DetectorCalibration.MmdThreshold(detector, heldOut, 0.01, 2000, seed: 2);
        var exceed = WindowsAbove(detector, heldOut, threshold);

        output.WriteLine($"MMD chat tenant: σ = {detector.Reference.Bandwidth:F4}, threshold (1% of benign windows) {threshold:F5}, held-out clients' own 1% point {heldOutThreshold:F5}, held-out windows above {exceed:P2}");
        Assert.InRange(exceed, 0.002, 0.03);
        Assert.Equal(threshold, heldOutThreshold, threshold * 0.25);
    }

    [Fact]
    public void Observe_BenignChatClients_PerClientAlarmRateReported()
    {
        var (detector, _) = ChatTenant.Value;

        var summary = DetectionRun.Summarise(DetectionRun.Clients(detector, 200, 1000, seed => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(seed, 300))));

        // A client is tested after every query once its window is full (237 overlapping windows here), so the share
        // of clients that ever cross a 1%-per-window threshold is far above 1%; a 0.1% threshold lowers it.
        var benign = SyntheticTraffic.Streams(100, 5000, seed => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(seed, 300)));
        var strict = DetectorCalibration.MmdThreshold(detector, benign, 0.001, 20_000, seed: 1);
        var strictDetector = new WindowMmdDetector(new WindowMmdOptions(), detector.Reference.WithThreshold(strict));
        var strictSummary = DetectionRun.Summarise(DetectionRun.Clients(strictDetector, 200, 1000, seed => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(seed, 300))));

        output.WriteLine($"MMD benign chat (200 × 300), 1% per window: {summary}; 0.1% per window (threshold {strict:F5}): {strictSummary}");
        Assert.True(summary.Alarmed <= 30, summary.ToString());
        Assert.True(summary.MedianMaxScore < 0.4, summary.ToString());
        Assert.True(strictSummary.Alarmed < summary.Alarmed, strictSummary.ToString());
    }

    [Fact]
    public void Observe_ShiftedWindows_AlarmWhenTheWindowFills()
    {
        var (detector, _) = ChatTenant.Value;
        var attacks = new (string Name, Func<ulong, List<float[]>> Stream)[]
        {
            ("uniform sweep", c => SyntheticTraffic.UniformClient(c, 256, 200)),
            ("near-duplicate flood", c => SyntheticTraffic.Embed(SyntheticTraffic.NearDuplicateFlood(c, 200))),
            ("Alpaca-style harvesting", c => [.. SyntheticTraffic.Persona(c, 200, SyntheticTraffic.Alpaca).Select(r => SyntheticTraffic.Embed(r.Prompt))]),
            ("chain-of-thought distillation", c => [.. SyntheticTraffic.Persona(c, 200, SyntheticTraffic.Distiller).Select(r => SyntheticTraffic.Embed(r.Prompt))]),
        };

        foreach (var (name, stream) in attacks)
        {
            var summary = DetectionRun.Summarise(DetectionRun.Clients(detector, 20, 8000, stream));
            output.WriteLine($"MMD {name}: {summary}");
            Assert.True(summary.Alarmed == 20, $"{name}: {summary}");
            Assert.True(summary.P90Queries == detector.WindowSize, $"{name}: {summary}");
        }
    }

    [Fact]
    public void Observe_TopicShiftWithinChat_NotSeparated()
    {
        // Clients that chat about topics the tenant never sees: a benign client also stays within its few topics, so
        // with character n-gram vectors this shift is no larger than the benign spread. Reported for the documentation.
        var (detector, _) = ChatTenant.Value;

        var summary = DetectionRun.Summarise(DetectionRun.Clients(detector, 20, 8100, seed => SyntheticTraffic.Embed(SyntheticTraffic.OffDistributionClient(seed, 200))));

        output.WriteLine($"MMD chat about unseen topics: {summary}");
        Assert.True(summary.Alarmed < 20, "Topic shift is now separated: update the documentation.");
    }

    [Fact]
    public void Observe_TemplateAppTenant_OwnReferenceKeepsItsClientsLow()
    {
        List<float[]> Rag(ulong seed, int count) => [.. SyntheticTraffic.Persona(seed, count, SyntheticTraffic.Rag).Select(r => SyntheticTraffic.Embed(r.Prompt))];
        var (detector, threshold) = Tenant(c => Rag(c, 300), c => Rag(c, 4), 0.01);

        var rag = DetectionRun.Summarise(DetectionRun.Clients(detector, 50, 1000, seed => Rag(seed, 300)));
        var harvest = DetectionRun.Summarise(DetectionRun.Clients(detector, 20, 8200, seed => SyntheticTraffic.Persona(seed, 200, SyntheticTraffic.Alpaca).Select(r => SyntheticTraffic.Embed(r.Prompt))));
        var underChat = DetectionRun.Summarise(DetectionRun.Clients(ChatTenant.Value.Detector, 20, 1000, seed => Rag(seed, 200)));

        output.WriteLine($"MMD RAG tenant (threshold {threshold:F5}): RAG clients {rag}; Alpaca {harvest}; RAG clients under the chat tenant's reference: {underChat}");
        Assert.True(rag.Alarmed <= 10, rag.ToString());
        Assert.Equal(20, harvest.Alarmed);
        Assert.Equal(20, underChat.Alarmed);
    }

    [Fact]
    public void Observe_IncrementalSums_EqualAFreshWindow()
    {
        var (detector, _) = ChatTenant.Value;
        var stream = SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(11, 500));
        var state = detector.CreateState();
        var last = default(DetectorSignal);
        foreach (var vector in stream)
        {
            last = detector.Observe(state, vector, DetectionRun.At);
        }

        var fresh = detector.CreateState();
        var expected = default(DetectorSignal);
        foreach (var vector in stream.TakeLast(detector.WindowSize))
        {
            expected = detector.Observe(fresh, vector, DetectionRun.At);
        }

        Assert.Equal(expected.Statistic, last.Statistic, 1e-9);
        Assert.Equal(fresh.PairSum, state.PairSum, 1e-9);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(48)]
    public void MaxStateSizeFor_IsTheMaxStateSizeOfADetectorWithThoseOptions_AndBoundsAFullWindow(int windowSize)
    {
        var codec = new VectorCodec(64, 32);
        var random = new DeterministicRandom(13);
        var reference = MmdReference.Create(codec, [.. Enumerable.Range(0, 40).Select(_ => Vectors.RandomUnit(random, 64))]).WithThreshold(0.01);
        var options = new WindowMmdOptions { WindowSize = windowSize };
        var detector = new WindowMmdDetector(options, reference);
        var state = detector.CreateState();
        for (var i = 0; i < windowSize + 3; i++)
        {
            detector.Observe(state, Vectors.RandomUnit(random, 64), DetectionRun.At);
        }

        Assert.Equal(detector.MaxStateSize, WindowMmdDetector.MaxStateSizeFor(options, codec));
        Assert.Equal(detector.MaxStateSize, detector.Serialize(state).Length);
    }

    [Fact]
    public void Observe_Statistic_MatchesTheTextbookEstimator()
    {
        // MMD²ᵤ computed directly in doubles on the projected vectors (before quantisation) with the same σ.
        var codec = new VectorCodec(64, 32);
        var random = new DeterministicRandom(12);
        var referenceVectors = Enumerable.Range(0, 40).Select(_ => Vectors.RandomUnit(random, 64)).ToList();
        var reference = MmdReference.Create(codec, referenceVectors).WithThreshold(0.01);
        var detector = new WindowMmdDetector(new WindowMmdOptions { WindowSize = 16 }, reference);
        var center = Vectors.RandomUnit(random, 64);
        var window = Enumerable.Range(0, 16).Select(_ => Vectors.Around(random, center, 0.1)).ToList();

        var state = detector.CreateState();
        var signal = default(DetectorSignal);
        foreach (var vector in window)
        {
            signal = detector.Observe(state, vector, DetectionRun.At);
        }

        var x = window.Select(v => Reduced(codec, v)).ToList();
        var y = referenceVectors.Select(v => Reduced(codec, v)).ToList();
        double K(double[] a, double[] b) => Math.Exp(-a.Zip(b, (p, q) => (p - q) * (p - q)).Sum() / (2 * reference.Bandwidth * reference.Bandwidth));
        double MeanOffDiagonal(List<double[]> s) => s.SelectMany((a, i) => s.Where((_, j) => j != i).Select(b => K(a, b))).Sum() / (s.Count * (s.Count - 1.0));
        var expected = MeanOffDiagonal(x) + MeanOffDiagonal(y) - (2 * x.SelectMany(a => y.Select(b => K(a, b))).Average());

        Assert.Equal(expected, signal.Statistic, 0.005);
        Assert.True(signal.Statistic > 0.05, $"a concentrated window is far from a uniform reference: {signal.Statistic}");
        Assert.Equal(Math.Clamp(signal.Statistic / 0.02, 0, 1), signal.Score, 12);
    }

    [Fact]
    public void Observe_BeforeTheWindowFills_WarmingUp()
    {
        var (detector, _) = ChatTenant.Value;
        var state = detector.CreateState();
        var stream = SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(13, detector.WindowSize));

        for (var i = 0; i < stream.Count - 1; i++)
        {
            var signal = detector.Observe(state, stream[i], DetectionRun.At);
            Assert.Equal(0.0, signal.Score);
            Assert.True(double.IsNaN(signal.Statistic));
        }

        Assert.False(double.IsNaN(detector.Observe(state, stream[^1], DetectionRun.At).Statistic));
    }

    [Fact]
    public void Observe_ReferenceReplaced_CachedSumsRecomputed()
    {
        var (detector, _) = ChatTenant.Value;
        var newReference = MmdReference.Create(Codec, SyntheticTraffic.Embed(Enumerable.Range(0, 64).SelectMany(c => SyntheticTraffic.ChatClient((ulong)(9500 + c), 3)))).WithThreshold(0.02);
        var replaced = new WindowMmdDetector(new WindowMmdOptions(), newReference);
        var stream = SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(14, 100));
        var state = detector.CreateState();
        foreach (var vector in stream.Take(99))
        {
            detector.Observe(state, vector, DetectionRun.At);
        }

        // The state, stored under the old reference, is read by the tenant's new detector.
        var moved = replaced.Deserialize(detector.Serialize(state));
        var signal = replaced.Observe(moved, stream[99], DetectionRun.At);

        var fresh = replaced.CreateState();
        var expected = default(DetectorSignal);
        foreach (var vector in stream.Skip(100 - replaced.WindowSize))
        {
            expected = replaced.Observe(fresh, vector, DetectionRun.At);
        }

        Assert.Equal(expected.Statistic, signal.Statistic, 1e-9);
    }

    [Fact]
    public void Observe_Uncalibrated_MeasuresWithoutScoring()
    {
        var reference = MmdReference.Create(Codec, SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(15, 64)));
        var detector = new WindowMmdDetector(new WindowMmdOptions { WindowSize = 8 }, reference);
        var state = detector.CreateState();
        var signal = default(DetectorSignal);
        foreach (var vector in SyntheticTraffic.UniformClient(16, 256, 8))
        {
            signal = detector.Observe(state, vector, DetectionRun.At);
        }

        Assert.False(reference.IsCalibrated);
        Assert.Equal(0.0, signal.Score);
        Assert.True(signal.Statistic > 0);
        Assert.True(double.IsNaN(signal.Threshold));
    }

    [Fact]
    public void Reference_RoundTrip_SameSignals()
    {
        var (detector, _) = ChatTenant.Value;
        var bytes = detector.Reference.ToArray();
        var restored = new WindowMmdDetector(new WindowMmdOptions(), MmdReference.FromBytes(Codec, bytes));
        var stream = SyntheticTraffic.UniformClient(17, 256, 80);
        var a = detector.CreateState();
        var b = restored.CreateState();

        foreach (var vector in stream)
        {
            Assert.Equal(detector.Observe(a, vector, DetectionRun.At), restored.Observe(b, vector, DetectionRun.At));
        }

        Assert.Equal(bytes, restored.Reference.ToArray());
        Assert.Equal(28 + (256 * 132), bytes.Length);
        Assert.Throws<InvalidDataException>(() => MmdReference.FromBytes(new VectorCodec(256, 64), bytes));
        Assert.Throws<InvalidDataException>(() => MmdReference.FromBytes(Codec, bytes.AsSpan(0, bytes.Length - 1)));
    }

    [Fact]
    public void Reference_InvalidInputs_Throw()
    {
        var few = SyntheticTraffic.UniformClient(18, 256, 10);
        var same = Enumerable.Repeat(Vectors.RandomUnit(new DeterministicRandom(19), 256), 20).ToList();

        Assert.Throws<ArgumentException>(() => MmdReference.Create(Codec, few));
        Assert.Throws<ArgumentException>(() => MmdReference.Create(Codec, same));
        Assert.Throws<ArgumentOutOfRangeException>(() => MmdReference.Create(Codec, same, bandwidth: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MmdReference.Create(Codec, SyntheticTraffic.UniformClient(20, 256, 20)).WithThreshold(0));
        Assert.Throws<OptionsValidationException>(() => new WindowMmdDetector(new WindowMmdOptions { WindowSize = 4 }, ChatTenant.Value.Detector.Reference));
        Assert.Throws<ArgumentException>(() => DetectorCalibration.MmdThreshold(ChatTenant.Value.Detector, [few], 0.01, 100));
    }

    /// <summary>A tenant: reference from 64 clients' few prompts each, threshold from 100 other clients' windows.</summary>
    private static (WindowMmdDetector Detector, double Threshold) Tenant(Func<ulong, List<float[]>> client, Func<ulong, List<float[]>> referenceClient, double fpr)
    {
        var reference = MmdReference.Create(Codec, [.. Enumerable.Range(0, 64).SelectMany(c => referenceClient((ulong)(9000 + c)))]);
        var benign = SyntheticTraffic.Streams(100, 5000, client);
        var threshold = DetectorCalibration.MmdThreshold(new WindowMmdDetector(new WindowMmdOptions(), reference), benign, fpr, 2000, seed: 1);
        return (new WindowMmdDetector(new WindowMmdOptions(), reference.WithThreshold(threshold)), threshold);
    }

    private static double WindowsAbove(WindowMmdDetector detector, IReadOnlyList<IReadOnlyList<float[]>> streams, double threshold)
    {
        int above = 0, windows = 0;
        foreach (var stream in streams)
        {
            var (vectors, cross) = detector.EncodeStream(stream);
            for (var start = 0; start + detector.WindowSize <= stream.Count; start += 8)
            {
                windows++;
                above += detector.WindowStatistic(vectors, cross, start) > threshold ? 1 : 0;
            }
        }

        return (double)above / windows;
    }

    private static double[] Reduced(VectorCodec codec, float[] vector)
    {
        var reduced = new float[codec.StoredDimensions];
        codec.Reduce(vector, reduced);
        return [.. reduced.Select(v => (double)v)];
    }
}
