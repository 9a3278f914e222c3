using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.ApiSurface;
using GenSafety.Gateway.Detection.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Detection.DetectionTestData;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class DetectorRunnerTests
{
    [Fact]
    public async Task RunAsync_StateWrittenByAnotherReplicaMeanwhile_IsRecomputedOnTheFreshState()
    {
        var time = new TestTimeProvider(Start.AddMinutes(5));
        var store = new InterleavingStore(new InMemoryDetectorStateStore(Options.Create(new DetectionOptions()), time));
        var detector = ApiSurface();
        var runner = Runner(detector, store, time);
        var mine = new ClientBatch("t1", "c1");
        mine.Events.AddRange(Enumerable.Range(0, 3).Select(i => Chat("mine", Bias((i, 100)), at: Start.AddSeconds(i))));
        mine.Vectors = new float[]?[3];
        // The other replica's batch for the same client lands between this replica's read and write.
        store.BeforeFirstWrite = async () =>
        {
            var key = new DetectorStateKey("t1", "c1", detector.Name, DetectorStateMode.Replace);
            var read = (await store.Inner.ReadAsync([key], default))[0];
            var theirs = Run(detector, [.. Enumerable.Range(0, 5).Select(i => Chat("theirs", Bias((100 + i, 100)), at: Start.AddSeconds(10 + i)))], state: read.Data);
            await store.Inner.WriteAsync([new DetectorStateWrite(key, read, theirs.State!)], default);
        };

        var results = await runner.RunAsync([mine], default);

        var stored = (await store.Inner.ReadAsync([new DetectorStateKey("t1", "c1", detector.Name, DetectorStateMode.Replace)], default))[0];
        Assert.Equal(2, store.Writes);
        Assert.Equal(8, ApiSurfaceState.Read(stored.Data, 512, 32).Count);
        Assert.Equal(2u, stored.Version);
        Assert.StartsWith("8 requests", results[0][0]!.Reason);
    }

    private static DetectorRunner Runner(IQueryDetector detector, IDetectorStateStore store, TimeProvider time)
    {
        var enabled = new EnabledDetectors([detector], [new DetectorRegistration(detector.Name, true)], Options.Create(new DetectionOptions()));
        return new DetectorRunner(enabled, store, Metrics(), time, NullLogger<DetectorRunner>.Instance);
    }

    private sealed class InterleavingStore(IDetectorStateStore inner) : IDetectorStateStore
    {
        public IDetectorStateStore Inner => inner;

        public Func<Task>? BeforeFirstWrite { get; set; }

        public int Writes { get; private set; }

        public ValueTask<DetectorStateEntry[]> ReadAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken) => inner.ReadAsync(keys, cancellationToken);

        public async ValueTask<DetectorWriteResult> WriteAsync(IReadOnlyList<DetectorStateWrite> writes, CancellationToken cancellationToken)
        {
            if (Writes++ == 0 && BeforeFirstWrite is { } interleave)
            {
                await interleave();
            }

            return await inner.WriteAsync(writes, cancellationToken);
        }

        public ValueTask DeleteAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken) => inner.DeleteAsync(keys, cancellationToken);
    }
}
