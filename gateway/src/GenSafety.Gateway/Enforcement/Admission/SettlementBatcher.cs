using System.Diagnostics;
using System.Threading.Channels;
using GenSafety.Gateway.State;
using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Sends settlements (<see cref="AdmissionRedisScripts.Settle"/>) to Redis in batches: one script call carries every
/// settlement queued while the previous call was in flight, up to <see cref="MaxBatch"/>. Nothing waits to fill a batch,
/// so a lone settlement goes out at once; under load one round trip settles many requests, which takes a Redis call
/// and its CPU off every request. Each caller's task completes when its batch has been applied (or fails with
/// <see cref="StateStoreUnavailableException"/>).
/// </summary>
/// <remarks>
/// A batch that fails on the connection (Redis went away, or did not answer in time) is sent again every
/// <see cref="RetryInterval"/> until Redis answers, for at most <see cref="MaxRetryAge"/>, so the usage, token refunds and
/// stream releases of requests answered just before an outage are applied when Redis returns. Batches carry an
/// increasing sequence number checked against this process's marker key in the same script, so a batch that Redis
/// had applied before the connection failed is not applied twice. At most <see cref="MaxPending"/> settlements wait;
/// beyond that new ones fail at once.
/// </remarks>
internal sealed class SettlementBatcher : IAsyncDisposable
{
    /// <summary>Most settlements in one script call.</summary>
    public const int MaxBatch = 128;

    /// <summary>Most settlements queued or waiting for Redis to return.</summary>
    public const int MaxPending = 100_000;

    /// <summary>Pause between attempts to send a batch after a connection failure.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a batch Redis did not answer is kept for another attempt.</summary>
    public static readonly TimeSpan MaxRetryAge = TimeSpan.FromMinutes(5);

    // Outlives every retry of a batch, so a late retry still finds the marker of its first attempt.
    private static readonly long MarkerTtlMs = (long)(MaxRetryAge * 2).TotalMilliseconds;

    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly IConnectionMultiplexer _connection;
    private readonly AdmissionMetrics _metrics;
    private readonly RedisKey _marker;
    private readonly Task _loop;
    private long _sequence;
    private int _pending;

    /// <param name="connection">The shared Redis connection.</param>
    /// <param name="marker">This process's batch marker key (<see cref="AdmissionRedisKeys.SettlementMarker"/>).</param>
    /// <param name="metrics">Counts retried and lost settlements.</param>
    public SettlementBatcher(IConnectionMultiplexer connection, RedisKey marker, AdmissionMetrics metrics)
    {
        _connection = connection;
        _marker = marker;
        _metrics = metrics;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues one settlement (5 keys, 9 arguments) and completes when it has been applied.</summary>
    public Task SettleAsync(RedisKey[] keys, RedisValue[] args)
    {
        if (Interlocked.Increment(ref _pending) > MaxPending)
        {
            Interlocked.Decrement(ref _pending);
            _metrics.RecordSettlementsLost(1);
            return Task.FromException(new StateStoreUnavailableException($"More than {MaxPending} settlements are waiting for Redis."));
        }

        var item = new Item(keys, args, Stopwatch.GetTimestamp());
        if (_queue.Writer.TryWrite(item))
        {
            return item.Completion.Task;
        }

        Interlocked.Decrement(ref _pending);
        return Task.FromException(new ObjectDisposedException(nameof(SettlementBatcher)));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Queued settlements get up to five seconds to go out, retries included; what is left then is given up.
        _stopping.CancelAfter(TimeSpan.FromSeconds(5));
        await _loop.WaitAsync(TimeSpan.FromSeconds(6)).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (_loop.IsCompleted)
        {
            _stopping.Dispose();
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Item>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            long sequence = ++_sequence;
            while (batch.Count > 0 && !await TrySendAsync(batch, sequence))
            {
                // The connection failed: try again after a pause, unless the batch is too old or the gateway is stopping.
                if (Stopwatch.GetElapsedTime(batch[0].QueuedAt) > MaxRetryAge || !await PauseAsync())
                {
                    Fail(batch, new StateStoreUnavailableException("Redis did not return in time to receive these settlements."));
                }
            }

            batch.Clear();
        }
    }

    // True when the batch is done with (applied, or failed for good); false when the connection failed.
    private async Task<bool> TrySendAsync(List<Item> batch, long sequence)
    {
        try
        {
            await _connection.GetDatabase().ScriptEvaluateAsync(
                AdmissionRedisScripts.Settle,
                [_marker, .. batch.SelectMany(i => i.Keys)],
                [sequence, MarkerTtlMs, .. batch.SelectMany(i => i.Args)]);
            Complete(batch);
            return true;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            _metrics.RecordSettlementsRetried(batch.Count);
            return false;
        }
        catch (RedisException ex)
        {
            Fail(batch, new StateStoreUnavailableException("The Redis admission store failed during 'settle'.", ex));
            return true;
        }
    }

    private async Task<bool> PauseAsync()
    {
        try
        {
            await Task.Delay(RetryInterval, _stopping.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Complete(List<Item> batch)
    {
        Interlocked.Add(ref _pending, -batch.Count);
        batch.ForEach(static i => i.Completion.TrySetResult());
        batch.Clear();
    }

    private void Fail(List<Item> batch, StateStoreUnavailableException failure)
    {
        Interlocked.Add(ref _pending, -batch.Count);
        _metrics.RecordSettlementsLost(batch.Count);
        batch.ForEach(i => i.Completion.TrySetException(failure));
        batch.Clear();
    }

    private sealed class Item(RedisKey[] keys, RedisValue[] args, long queuedAt)
    {
        public RedisKey[] Keys { get; } = keys;

        public RedisValue[] Args { get; } = args;

        public long QueuedAt { get; } = queuedAt;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
