using GenSafety.Detectors.Coverage;
using GenSafety.Detectors.Extraction;

namespace GenSafety.Detectors.Tests.Extraction;

public sealed class StateFormatTests
{
    private static readonly VectorCodec Codec = SyntheticTraffic.Codec;
    private static readonly PradaDetector Prada = new(new PradaOptions(), Codec);
    private static readonly NearDuplicateDetector NearDuplicate = new(new NearDuplicateOptions(), Codec);
    private static readonly HarvestingDetector Harvesting = new(new HarvestingOptions());
    private static readonly Lazy<WindowMmdDetector> WindowMmd = new(() =>
        new WindowMmdDetector(new WindowMmdOptions(), MmdReference.Create(Codec, SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(99, 256))).WithThreshold(0.02)));

    private static readonly Lazy<List<float[]>> Stream = new(() => SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(98, 700)));
    private static readonly Lazy<List<SyntheticTraffic.Request>> Requests = new(() =>
        SyntheticTraffic.Persona(97, 300, (r, t) => r.NextDouble() < 0.5 ? SyntheticTraffic.Alpaca(r, t) : SyntheticTraffic.Chat(r, t)));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(150)]
    [InlineData(600)]
    public void RoundTrip_VectorDetectors_ContinueIdentically(int before)
    {
        AssertRoundTrip(Prada, before);
        AssertRoundTrip(NearDuplicate, before);
        AssertRoundTrip(WindowMmd.Value, before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(200)]
    public void RoundTrip_Harvesting_ContinuesIdentically(int before)
    {
        var requests = Requests.Value;
        var original = Harvesting.CreateState();
        for (var i = 0; i < before; i++)
        {
            Observe(original, requests[i]);
        }

        var bytes = Harvesting.Serialize(original);
        var restored = Harvesting.Deserialize(bytes);
        Assert.Equal(bytes, Harvesting.Serialize(restored));
        Assert.Equal(original.LastObserved, restored.LastObserved);
        for (var i = before; i < before + 100; i++)
        {
            Assert.Equal(Observe(original, requests[i]), Observe(restored, requests[i]));
        }

        Assert.Equal(Harvesting.Serialize(original), Harvesting.Serialize(restored));
    }

    [Fact]
    public void Sizes_Saturated_EqualTheDocumentedMaximaWithinTheClientBudget()
    {
        var prada = Saturated(Prada);
        var nearDuplicate = Saturated(NearDuplicate);
        var mmd = Saturated(WindowMmd.Value);
        var harvesting = Harvesting.CreateState();
        foreach (var request in Requests.Value)
        {
            Observe(harvesting, request);
        }

        Assert.Equal(10_576, Prada.Serialize(prada).Length);
        Assert.Equal(8_492, NearDuplicate.Serialize(nearDuplicate).Length);
        Assert.Equal(9_000, WindowMmd.Value.Serialize(mmd).Length);
        Assert.Equal(3_172, Harvesting.Serialize(harvesting).Length);
        Assert.Equal(Prada.MaxStateSize, Prada.GetStateSize(prada));
        Assert.Equal(NearDuplicate.MaxStateSize, NearDuplicate.GetStateSize(nearDuplicate));
        Assert.Equal(WindowMmd.Value.MaxStateSize, WindowMmd.Value.GetStateSize(mmd));
        Assert.Equal(Harvesting.MaxStateSize, Harvesting.GetStateSize(harvesting));

        // With the B4B coverage bitmaps, everything this library keeps per client stays within the 64 KiB budget.
        var total = Prada.MaxStateSize + NearDuplicate.MaxStateSize + WindowMmd.Value.MaxStateSize + Harvesting.MaxStateSize + B4BCoverage.StateSize;
        Assert.Equal(41_480, total);
        Assert.True(total <= 64 * 1024);
    }

    [Fact]
    public void Sizes_Empty_HeaderAndFixedFieldsOnly()
    {
        Assert.Equal(24 + 56, Prada.Serialize(Prada.CreateState()).Length);
        Assert.Equal(24 + 20, NearDuplicate.Serialize(NearDuplicate.CreateState()).Length);
        Assert.Equal(24 + 16, WindowMmd.Value.Serialize(WindowMmd.Value.CreateState()).Length);
        Assert.Equal(24 + 140, Harvesting.Serialize(Harvesting.CreateState()).Length);
    }

    [Fact]
    public void Header_VersionKindAndCounters()
    {
        var state = Prada.CreateState();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_123_456);
        Prada.Observe(state, Stream.Value[0], at);
        Prada.Observe(state, Stream.Value[1], at.AddSeconds(-5));

        var bytes = Prada.Serialize(state);

        Assert.Equal(1, bytes[0]);
        Assert.Equal(1, bytes[1]);
        Assert.Equal(0, bytes[2] | bytes[3]);
        Assert.Equal(2L, BitConverter.ToInt64(bytes, 8));
        Assert.Equal(at.ToUnixTimeMilliseconds(), BitConverter.ToInt64(bytes, 16));
        Assert.Equal(2, NearDuplicate.Serialize(NearDuplicate.CreateState())[1]);
        Assert.Equal(3, WindowMmd.Value.Serialize(WindowMmd.Value.CreateState())[1]);
        Assert.Equal(4, Harvesting.Serialize(Harvesting.CreateState())[1]);
        Assert.Null(Prada.Deserialize(Prada.Serialize(Prada.CreateState())).LastObserved);
    }

    [Fact]
    public void Deserialize_ForeignOrDamagedBytes_Refused()
    {
        var state = Prada.CreateState();
        foreach (var vector in Stream.Value.Take(50))
        {
            Prada.Observe(state, vector, DetectionRun.At);
        }

        var bytes = Prada.Serialize(state);
        var otherVersion = (byte[])bytes.Clone();
        otherVersion[0] = 2;
        var reserved = (byte[])bytes.Clone();
        reserved[3] = 1;
        var badCount = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(badCount.AsSpan(24), 65);
        var badW = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(badW.AsSpan(24 + 40), 1.5);
        var otherCapacity = new PradaDetector(new PradaOptions { GrowingSetCapacity = 32 }, Codec);
        var otherCodec = new PradaDetector(new PradaOptions(), new VectorCodec(256, 128, seed: 1));

        foreach (var damaged in new[] { otherVersion, reserved, badCount, badW, bytes[..^1], [.. bytes, 0], [], bytes[..10] })
        {
            Assert.Throws<InvalidDataException>(() => Prada.Deserialize(damaged));
            Assert.False(Prada.TryDeserialize(damaged, out _));
        }

        Assert.Throws<InvalidDataException>(() => otherCapacity.Deserialize(bytes));
        Assert.Throws<InvalidDataException>(() => otherCodec.Deserialize(bytes));
        Assert.Throws<InvalidDataException>(() => NearDuplicate.Deserialize(bytes));
        Assert.True(Prada.TryDeserialize(bytes, out var restored));
        Assert.Equal(state.Observations, restored.Observations);

        // Options that do not shape the state (δ, the test interval) may change under a stored state.
        Assert.True(new PradaDetector(new PradaOptions { Delta = 0.8, TestInterval = 5 }, Codec).TryDeserialize(bytes, out _));
    }

    [Fact]
    public void Serialize_ShortDestination_Throws()
    {
        var state = Harvesting.CreateState();

        Assert.Throws<ArgumentException>(() => Harvesting.Serialize(state, new byte[Harvesting.GetStateSize(state) - 1]));
        Assert.Equal(Harvesting.GetStateSize(state), Harvesting.Serialize(state, new byte[Harvesting.MaxStateSize]));
    }

    [Fact]
    public void Serialize_SameInputsInAnotherDetectorInstance_SameBytes()
    {
        var a = new PradaDetector(new PradaOptions(), new VectorCodec(256));
        var b = new PradaDetector(new PradaOptions(), new VectorCodec(256));
        var stateA = a.CreateState();
        var stateB = b.CreateState();

        foreach (var vector in Stream.Value.Take(200))
        {
            a.Observe(stateA, vector, DetectionRun.At);
            b.Observe(stateB, vector, DetectionRun.At);
        }

        Assert.Equal(a.Serialize(stateA), b.Serialize(stateB));
    }

    [Fact]
    public void States_HoldNoText()
    {
        // Prompt text never enters a state or the features: no string or char fields anywhere in them.
        Type[] types = [typeof(QueryFeatures), typeof(HarvestingState), typeof(PradaState), typeof(NearDuplicateState), typeof(WindowMmdState), typeof(DetectorState)];
        var flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
        var fieldTypes = types.SelectMany(t => t.GetFields(flags)).Select(f => f.FieldType).ToList();
        fieldTypes.AddRange(typeof(HarvestingState).Assembly.GetType("GenSafety.Detectors.Extraction.HarvestingEntry")!.GetFields(flags).Select(f => f.FieldType));

        Assert.NotEmpty(fieldTypes);
        Assert.DoesNotContain(typeof(string), fieldTypes);
        Assert.DoesNotContain(typeof(char[]), fieldTypes);
    }

    private static void AssertRoundTrip<TState>(IVectorStreamDetector<TState> detector, int before)
        where TState : DetectorState
    {
        var stream = Stream.Value;
        var original = detector.CreateState();
        for (var i = 0; i < before; i++)
        {
            detector.Observe(original, stream[i], DetectionRun.At.AddSeconds(i));
        }

        var bytes = detector.Serialize(original);
        Assert.Equal(detector.GetStateSize(original), bytes.Length);
        Assert.True(bytes.Length <= detector.MaxStateSize);
        var restored = detector.Deserialize(bytes);
        Assert.Equal(bytes, detector.Serialize(restored));
        Assert.Equal(detector.Evaluate(original), detector.Evaluate(restored));
        for (var i = before; i < before + 100; i++)
        {
            Assert.Equal(detector.Observe(original, stream[i], DetectionRun.At.AddSeconds(i)), detector.Observe(restored, stream[i], DetectionRun.At.AddSeconds(i)));
        }

        Assert.Equal(detector.Serialize(original), detector.Serialize(restored));
    }

    private static TState Saturated<TState>(IVectorStreamDetector<TState> detector)
        where TState : DetectorState
    {
        var state = detector.CreateState();
        foreach (var vector in Stream.Value)
        {
            detector.Observe(state, vector, DetectionRun.At);
        }

        return state;
    }

    private static DetectorSignal Observe(HarvestingState state, SyntheticTraffic.Request request) =>
        Harvesting.Observe(state, Harvesting.ExtractFeatures(request.Prompt, request.MaxTokens, request.Temperature), request.At);
}
