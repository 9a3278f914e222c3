using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// The background reader of the <see cref="DetectionQueue"/>: it waits for an observation, then gathers more until
/// the batch holds <see cref="DetectionOptions.MaxBatchSize"/> or <see cref="DetectionOptions.MaxBatchWait"/> has
/// passed since the first, and hands the micro-batch to <see cref="DetectionBatchProcessor"/>; one batch at a time,
/// so a client's state is never updated by two batches of this replica at once. At start it loads the configured
/// embedders. What is still queued at shutdown is dropped.
/// </summary>
internal sealed class DetectionPipeline(
    DetectionQueue queue, DetectionBatchProcessor processor, EnabledDetectors detectors, DetectionEmbedders embedders,
    IOptions<DetectionOptions> options, TimeProvider time, ILogger<DetectionPipeline> logger) : BackgroundService
{
    private readonly DetectionOptions _options = options.Value;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (detectors.Active.Count == 0)
        {
            return Task.CompletedTask;
        }

        embedders.Load();
        DetectionLog.Started(logger, detectors.Names, _options.Embedder, _options.Fusion);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var batch = new List<QueryObservation>(_options.MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await FillAsync(reader, batch, stoppingToken);
                try
                {
                    await processor.ProcessAsync(batch, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    DetectionLog.BatchFailed(logger, batch.Count, ex);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    // Reads until the batch is full or MaxBatchWait has passed since its first observation. Between reads it sleeps
    // until the queue holds enough to fill the batch or the time is up, rather than waking for every observation
    // (at a thousand requests per second that was a thread-pool wake-up and two timers per event).
    private async Task FillAsync(ChannelReader<QueryObservation> reader, List<QueryObservation> batch, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        while (batch.Count < _options.MaxBatchSize)
        {
            if (reader.TryRead(out var observation))
            {
                batch.Add(observation);
                continue;
            }

            var remaining = _options.MaxBatchWait - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await queue.WaitUntilHoldingAsync(_options.MaxBatchSize - batch.Count, remaining, time, stoppingToken);
            if (!reader.TryPeek(out _))
            {
                return;
            }
        }
    }
}
