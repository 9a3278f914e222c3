using System.Diagnostics;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class DetectionPipelineTests
{
    [Fact]
    public async Task TryEnqueue_FullQueue_ShedsAtOnce_AndCounts()
    {
        await using var services = new DetectionTestServices(("GenSafety:Detection:QueueCapacity", "2"));
        var watch = Stopwatch.StartNew();

        var accepted = Enumerable.Range(0, 5).Select(_ => services.Queue.TryEnqueue(DetectionTestServices.Observation())).ToList();

        Assert.Equal([true, true, false, false, false], accepted);
        Assert.True(watch.ElapsedMilliseconds < 1000);
        Assert.Equal(3, services.Shed);
        Assert.Equal(2, services.Queued);
        Assert.Equal(2, services.Queue.Depth);
    }

    [Fact]
    public async Task Batches_FullAtMaxBatchSize_WithoutWaitingForMaxBatchWait()
    {
        await using var services = new DetectionTestServices(
            ("GenSafety:Detection:MaxBatchSize", "4"), ("GenSafety:Detection:MaxBatchWait", "00:00:10"));
        for (var i = 0; i < 8; i++)
        {
            services.Queue.TryEnqueue(DetectionTestServices.Observation());
        }

        var start = services.Recorder.NowMs;
        await services.Pipeline.StartAsync(default);
        await services.WaitForEventsAsync(8);

        Assert.Equal([4, 4], services.Recorder.Batches.Select(b => b.Events));
        Assert.True(services.Recorder.Batches.Last().AtMs - start < 5000, "full batches must not wait for MaxBatchWait");
    }

    [Fact]
    public async Task Batches_WaitMaxBatchWaitForMoreEvents_ThenGo()
    {
        await using var services = new DetectionTestServices(
            ("GenSafety:Detection:MaxBatchSize", "100"), ("GenSafety:Detection:MaxBatchWait", "00:00:00.400"));
        await services.Pipeline.StartAsync(default);

        var first = services.Recorder.NowMs;
        services.Queue.TryEnqueue(DetectionTestServices.Observation("a"));
        await Task.Delay(100);
        services.Queue.TryEnqueue(DetectionTestServices.Observation("a"));
        services.Queue.TryEnqueue(DetectionTestServices.Observation("b"));
        await services.WaitForEventsAsync(3);

        // One batch, two clients: the recorder is called once per client.
        Assert.Equal([2, 1], services.Recorder.Batches.Select(b => b.Events));
        var waited = services.Recorder.Batches.First().AtMs - first;
        Assert.InRange(waited, 380, 5000);
    }

    [Fact]
    public async Task StalledDetector_QueueFillsThenSheds_QueuedEventsStillArrive()
    {
        await using var services = new DetectionTestServices(("GenSafety:Detection:QueueCapacity", "3"), ("GenSafety:Detection:MaxBatchSize", "1"));
        services.Recorder.Gate.Reset();
        await services.Pipeline.StartAsync(default);

        services.Queue.TryEnqueue(DetectionTestServices.Observation());
        for (var i = 0; i < 50 && services.Queue.Depth > 0; i++)
        {
            await Task.Delay(20); // the pipeline takes the first one and stalls in the detector
        }

        var accepted = Enumerable.Range(0, 10).Count(_ => services.Queue.TryEnqueue(DetectionTestServices.Observation()));
        services.Recorder.Gate.Set();
        await services.WaitForEventsAsync(4);

        Assert.Equal(3, accepted);
        Assert.Equal(7, services.Shed);
        Assert.Equal(4, services.Recorder.Batches.Sum(b => b.Events));
    }
}
