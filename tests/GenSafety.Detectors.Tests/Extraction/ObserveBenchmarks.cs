using System.Diagnostics;
using GenSafety.Detectors.Extraction;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Extraction;

/// <summary>
/// Stopwatch microbenchmarks of each Observe at steady state (full windows), one thread, Release build: µs per
/// operation and bytes allocated per operation. The bounds are loose (a regression by an order of magnitude fails);
/// the printed numbers are the ones docs/detection-algorithms.md reports. Not run in parallel with other tests.
/// </summary>
[Collection(nameof(ObserveBenchmarks))]
public sealed class ObserveBenchmarks(ITestOutputHelper output)
{
    private const int Operations = 20_000;
    private static readonly VectorCodec Codec = SyntheticTraffic.Codec;

    [Fact]
    public void Observe_VectorDetectors_MicrosecondsAndNoAllocations()
    {
        var vectors = SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(1, 1000));
        var prada = new PradaDetector(new PradaOptions(), Codec);
        var nearDuplicate = new NearDuplicateDetector(new NearDuplicateOptions(), Codec);
        var reference = MmdReference.Create(Codec, SyntheticTraffic.Embed(Enumerable.Range(0, 64).SelectMany(c => SyntheticTraffic.ChatClient((ulong)(9000 + c), 4)))).WithThreshold(0.02);
        var mmd = new WindowMmdDetector(new WindowMmdOptions(), reference);

        var pradaResult = Measure(prada, vectors);
        var nearResult = Measure(nearDuplicate, vectors);
        var mmdResult = Measure(mmd, vectors);
        var code = new sbyte[Codec.StoredDimensions];
        var encode = Time(i => Codec.Encode(vectors[i % vectors.Count], code));

        output.WriteLine($"VectorCodec.Encode 256→128: {encode.Micros:F2} µs, {encode.Bytes:F1} B/op");
        output.WriteLine($"PRADA Observe (G 64, D 512, W every 10): {pradaResult.Observe.Micros:F2} µs, {pradaResult.Observe.Bytes:F1} B/op; serialize {pradaResult.Serialize.Micros:F2} µs, deserialize {pradaResult.Deserialize.Micros:F2} µs");
        output.WriteLine($"SEAT Observe (history 64, k 5): {nearResult.Observe.Micros:F2} µs, {nearResult.Observe.Bytes:F1} B/op; serialize {nearResult.Serialize.Micros:F2} µs, deserialize {nearResult.Deserialize.Micros:F2} µs");
        output.WriteLine($"Window MMD Observe (m 64, n 256): {mmdResult.Observe.Micros:F2} µs, {mmdResult.Observe.Bytes:F1} B/op; serialize {mmdResult.Serialize.Micros:F2} µs, deserialize {mmdResult.Deserialize.Micros:F2} µs");

        AssertNoAllocationPerOperation(nearResult.Observe);
        AssertNoAllocationPerOperation(mmdResult.Observe);
        AssertNoAllocationPerOperation(encode);

        // PRADA allocates only inside the Shapiro–Wilk test (its weights, every tenth query).
        Assert.True(pradaResult.Observe.Bytes < 512, $"{pradaResult.Observe.Bytes} B/op");
        Assert.All([pradaResult.Observe, nearResult.Observe, mmdResult.Observe, encode], r => Assert.True(r.Micros < 1000, $"{r.Micros} µs"));
    }

    [Fact]
    public void Observe_Harvesting_MicrosecondsAndNoAllocations()
    {
        var detector = new HarvestingDetector(new HarvestingOptions());
        var requests = SyntheticTraffic.Persona(2, 500, (r, t) => r.NextDouble() < 0.5 ? SyntheticTraffic.Alpaca(r, t) : SyntheticTraffic.Chat(r, t));
        var chat = requests.Where(r => r.Prompt.Length < 300).ToList();
        var alpaca = requests.Where(r => r.Prompt.Length >= 300).ToList();
        var features = requests.Select(r => detector.ExtractFeatures(r.Prompt, r.MaxTokens, r.Temperature)).ToList();
        var state = detector.CreateState();

        var extractChat = Time(i => detector.ExtractFeatures(chat[i % chat.Count].Prompt, 4096, 1.0));
        var extractAlpaca = Time(i => detector.ExtractFeatures(alpaca[i % alpaca.Count].Prompt, 3072, 1.0));
        var observe = Time(i => detector.Observe(state, features[i % features.Count], requests[i % requests.Count].At.AddSeconds(i)));
        var bytes = detector.Serialize(state);
        var serialize = Time(_ => detector.Serialize(state, bytes));
        var deserialize = Time(_ => detector.Deserialize(bytes));

        output.WriteLine($"Harvesting ExtractFeatures, chat prompt ({chat.Average(r => r.Prompt.Length):F0} chars): {extractChat.Micros:F2} µs, {extractChat.Bytes:F1} B/op");
        output.WriteLine($"Harvesting ExtractFeatures, Alpaca prompt ({alpaca.Average(r => r.Prompt.Length):F0} chars): {extractAlpaca.Micros:F2} µs, {extractAlpaca.Bytes:F1} B/op");
        output.WriteLine($"Harvesting Observe (window 64): {observe.Micros:F2} µs, {observe.Bytes:F1} B/op; serialize {serialize.Micros:F2} µs, deserialize {deserialize.Micros:F2} µs");

        AssertNoAllocationPerOperation(extractChat);
        AssertNoAllocationPerOperation(extractAlpaca);
        AssertNoAllocationPerOperation(observe);
        Assert.All([extractChat, extractAlpaca, observe], r => Assert.True(r.Micros < 1000, $"{r.Micros} µs"));
    }

    private static (Result Observe, Result Serialize, Result Deserialize) Measure<TState>(IVectorStreamDetector<TState> detector, List<float[]> vectors)
        where TState : DetectorState
    {
        var state = detector.CreateState();
        var observe = Time(i => detector.Observe(state, vectors[i % vectors.Count], DetectionRun.At));
        var bytes = new byte[detector.MaxStateSize];
        var serialize = Time(_ => detector.Serialize(state, bytes));
        var stored = detector.Serialize(state);
        var deserialize = Time(_ => detector.Deserialize(stored));
        return (observe, serialize, deserialize);
    }

    // Nothing allocated per operation: a one-off allocation during the timed loop (the runtime promoting a method to
    // its next JIT tier, seen as 40 bytes once) is far below one byte per operation; one allocation per operation
    // is at least 24 bytes.
    private static void AssertNoAllocationPerOperation(Result result)
        => Assert.True(result.Bytes < 1, $"{result.Bytes:F3} B/op");

    /// <summary>Runs <paramref name="operation"/> a quarter of the count to warm up, then times it.</summary>
    private static Result Time(Action<int> operation)
    {
        for (var i = 0; i < Operations / 4; i++)
        {
            operation(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Operations; i++)
        {
            operation(i);
        }

        watch.Stop();
        return new Result(watch.Elapsed.TotalMicroseconds / Operations, (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / Operations);
    }

    private readonly record struct Result(double Micros, double Bytes);
}

[CollectionDefinition(nameof(ObserveBenchmarks), DisableParallelization = true)]
public sealed class ObserveBenchmarksGroup;
