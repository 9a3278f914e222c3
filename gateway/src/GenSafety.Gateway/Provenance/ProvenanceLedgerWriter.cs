using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Takes ledger writes off the response path: <see cref="TryEnqueue"/> puts a record in a bounded queue and never
/// waits (a full queue sheds the record, counted), and this background service writes what is queued in batches,
/// one ledger call (one Redis script) per batch. As with admission settlements, nothing waits to fill a batch: a lone
/// record goes out at once, and under load one round trip carries everything queued meanwhile, up to
/// <see cref="ProvenanceOptions.LedgerBatchSize"/>. A failed batch is logged and counted, not retried (fail-open: the
/// receipts already sent verify on their own). On shutdown the queue is closed and drained for at most
/// <see cref="ProvenanceOptions.LedgerDrainTimeout"/>; what is left is counted as shed.
/// </summary>
internal sealed class ProvenanceLedgerWriter : IHostedService, IDisposable
{
    private readonly Channel<PendingLedgerRecord> _queue;
    private readonly IProvenanceLedger _ledger;
    private readonly ProvenanceMetrics _metrics;
    private readonly ProvenanceOptions _options;
    private readonly ILogger<ProvenanceLedgerWriter> _logger;
    private readonly CancellationTokenSource _abandon = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _enqueued;
    private long _handled;

    public ProvenanceLedgerWriter(IProvenanceLedger ledger, ProvenanceMetrics metrics, IOptions<ProvenanceOptions> options, ILogger<ProvenanceLedgerWriter> logger)
    {
        _ledger = ledger;
        _metrics = metrics;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingLedgerRecord>(new BoundedChannelOptions(_options.LedgerQueueCapacity)
        {
            // Wait (not Drop*) so that TryWrite reports a full queue instead of silently discarding.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        metrics.TrackLedgerQueue(() => _queue.Reader.Count);
    }

    /// <summary>Records waiting to be written.</summary>
    public int Depth => _queue.Reader.Count;

    /// <summary>Queues <paramref name="record"/>, or sheds it (counted) when the queue is full or closed; never blocks.</summary>
    public bool TryEnqueue(PendingLedgerRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _enqueued);
            return true;
        }

        _metrics.LedgerShed(ProvenanceMetrics.ShedQueueFull, 1);
        return false;
    }

    /// <summary>
    /// Waits, at most <paramref name="timeout"/>, until every record queued before the call has been handled (written,
    /// failed or shed), so that a verification on this replica finds an output delivered a moment ago.
    /// </summary>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = Volatile.Read(ref _enqueued);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            // Read the progress signal before the count: a batch handled after the check completes this task.
            var progress = Volatile.Read(ref _progress).Task;
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (Volatile.Read(ref _handled) >= target || remaining <= TimeSpan.Zero)
            {
                return;
            }

            try
            {
                await progress.WaitAsync(remaining, cancellationToken);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Enabled)
        {
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            return;
        }

        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            drain.CancelAfter(_options.LedgerDrainTimeout);
            await _loop.WaitAsync(drain.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Past the drain deadline: the loop stops after the batch in flight and counts the rest as shed.
        await _abandon.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _abandon.Dispose();

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingLedgerRecord>(_options.LedgerBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(_abandon.Token))
            {
                while (batch.Count < _options.LedgerBatchSize && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await WriteAsync(batch);
                Handled(batch.Count);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
            var left = 0;
            while (reader.TryRead(out _))
            {
                left++;
            }

            if (left > 0)
            {
                _metrics.LedgerShed(ProvenanceMetrics.ShedShutdown, left);
                ProvenanceLog.LedgerDrainAbandoned(_logger, left);
                Handled(left);
            }
        }
    }

    private async Task WriteAsync(List<PendingLedgerRecord> batch)
    {
        var records = new ProvenanceRecord[batch.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = batch[i].ToRecord();
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await _ledger.RecordAsync(records, CancellationToken.None);
            _metrics.LedgerBatch(true, records.Length, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            // Any failure (an unreachable store, a connection closed at shutdown) costs this batch, never the loop.
            _metrics.LedgerBatch(false, records.Length, Stopwatch.GetElapsedTime(started));
            ProvenanceLog.LedgerWriteFailed(_logger, records.Length, (ex.InnerException ?? ex).GetType().Name);
        }
    }

    private void Handled(int count)
    {
        Interlocked.Add(ref _handled, count);
        Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
