using System.Diagnostics;
using System.Text;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Detection.DetectionTestData;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class DetectionQueueTests
{
    private static DetectionQueue Queue() => new(Options.Create(new DetectionOptions()), Metrics());

    private static QueryObservation Observation() => new("t1", "c1", RouteKinds.ChatCompletions, Encoding.UTF8.GetBytes("{}"), Start);

    [Fact]
    public async Task WaitUntilHoldingAsync_CountReachedByWriters_ReturnsBeforeTheTimeout()
    {
        var queue = Queue();
        queue.TryEnqueue(Observation());
        var watch = Stopwatch.StartNew();

        var waiting = queue.WaitUntilHoldingAsync(4, TimeSpan.FromMinutes(1), TimeProvider.System, default);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(waiting.IsCompleted);
            queue.TryEnqueue(Observation());
        }

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(4, queue.Depth);
    }

    [Fact]
    public async Task WaitUntilHoldingAsync_AlreadyHolding_ReturnsAtOnce()
    {
        var queue = Queue();
        queue.TryEnqueue(Observation());
        queue.TryEnqueue(Observation());

        var waiting = queue.WaitUntilHoldingAsync(2, TimeSpan.FromMinutes(1), TimeProvider.System, default);

        Assert.True(waiting.IsCompletedSuccessfully);
        await waiting;
    }

    [Fact]
    public async Task WaitUntilHoldingAsync_CountNotReached_ReturnsAfterTheTimeout()
    {
        var queue = Queue();
        queue.TryEnqueue(Observation());
        var watch = Stopwatch.StartNew();

        await queue.WaitUntilHoldingAsync(10, TimeSpan.FromMilliseconds(200), TimeProvider.System, default);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), $"{watch.Elapsed}");
        Assert.Equal(1, queue.Depth);
    }

    [Fact]
    public async Task WaitUntilHoldingAsync_Cancelled_Throws()
    {
        var queue = Queue();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.WaitUntilHoldingAsync(10, TimeSpan.FromMinutes(1), TimeProvider.System, cancellation.Token));
    }
}
