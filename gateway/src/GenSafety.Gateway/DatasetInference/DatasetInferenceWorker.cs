using System.Diagnostics;
using System.Threading.Channels;
using GenSafety.Detectors.DatasetInference;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// Runs the jobs this replica accepted, one at a time (their upstream calls share <see cref="UpstreamRequestBudget"/>):
/// scores and analyses, writes progress about once a second (and learns of a cancel request there), then the report
/// or the error. A bounded queue (<see cref="DatasetInferenceServiceOptions.MaxQueuedJobs"/>) refuses work beyond it.
/// </summary>
internal sealed partial class DatasetInferenceWorker : BackgroundService
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<DatasetInferenceWork> _queue;
    private readonly IDatasetInferenceJobStore _store;
    private readonly DatasetInferenceUpstream _upstream;
    private readonly DatasetInferenceMetrics _metrics;
    private readonly ILogger<DatasetInferenceWorker> _logger;

    public DatasetInferenceWorker(
        IOptions<DatasetInferenceServiceOptions> options, IDatasetInferenceJobStore store, DatasetInferenceUpstream upstream, DatasetInferenceMetrics metrics,
        ILogger<DatasetInferenceWorker> logger)
    {
        _queue = Channel.CreateBounded<DatasetInferenceWork>(new BoundedChannelOptions(options.Value.MaxQueuedJobs) { SingleReader = true });
        _store = store;
        _upstream = upstream;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Queues a job; false when the queue is full.</summary>
    public bool TryEnqueue(DatasetInferenceWork work) => _queue.Writer.TryWrite(work);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var work in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            await RunAsync(work, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(DatasetInferenceWork work, CancellationToken stoppingToken)
    {
        var job = work.Job;
        var start = Stopwatch.GetTimestamp();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        long done = 0;
        var progress = ReportProgressAsync(job, () => Interlocked.Read(ref done), cancel);
        DatasetInferenceJobStatus status;
        string? error = null;
        double? pValue = null;
        string? report = null;
        try
        {
            var extractor = _upstream.CreateExtractor(work.Model, work.Seed, n => Interlocked.Add(ref done, n));
            var result = await DatasetInferencePipeline.RunAsync(
                work.SuspectChunks, work.HeldoutChunks, extractor, new DatasetInferenceOptions { Alpha = work.Alpha, Seed = work.Seed }, cancel.Token).ConfigureAwait(false);
            (status, pValue, report) = (DatasetInferenceJobStatus.Succeeded, result.Test.PValue, DatasetInferenceReportJson.Serialize(result, work.Context));
            _metrics.Verdict(DatasetInferenceReportJson.Verdict(result.Verdict));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            status = DatasetInferenceJobStatus.Cancelled;
        }
        catch (OperationCanceledException)
        {
            (status, error) = (DatasetInferenceJobStatus.Failed, "The gateway stopped while the job ran; start it again.");
        }
        catch (UpstreamScoringException ex)
        {
            (status, error) = (DatasetInferenceJobStatus.Failed, ex.Message);
        }
        catch (ArgumentException ex)
        {
            // The analysis refuses data it cannot test (e.g. no feature varies); its message names no document.
            (status, error) = (DatasetInferenceJobStatus.Failed, "The documents cannot be tested: " + ex.Message);
        }

        await cancel.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        var statusName = RedisDatasetInferenceJobStore.Name(status);
        var scored = Interlocked.Read(ref done);
        _metrics.Job(statusName, Stopwatch.GetElapsedTime(start), scored);
        LogJobEnded(_logger, job.Id, statusName, scored);
        try
        {
            await _store.FinishAsync(job.Tenant, job.Id, status, scored, error, pValue, report, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StateStoreUnavailableException ex)
        {
            LogStoreFailed(_logger, job.Id, ex);
        }
    }

    // Writes progress every second until the job ends; a cancel request (or a vanished job) cancels it.
    private async Task ReportProgressAsync(DatasetInferenceJob job, Func<long> done, CancellationTokenSource cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                if (await _store.UpdateProgressAsync(job.Tenant, job.Id, done(), job.Total, CancellationToken.None).ConfigureAwait(false))
                {
                    await cancel.CancelAsync().ConfigureAwait(false);
                    return;
                }

                await Task.Delay(ProgressInterval, cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (StateStoreUnavailableException ex)
            {
                LogStoreFailed(_logger, job.Id, ex);
                await Task.Delay(ProgressInterval, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Dataset inference job {JobId} ended: {Status} after {Scored} upstream texts")]
    private static partial void LogJobEnded(ILogger logger, string jobId, string status, long scored);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Dataset inference job {JobId}: the job store failed")]
    private static partial void LogStoreFailed(ILogger logger, string jobId, Exception exception);
}
