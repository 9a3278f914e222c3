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
internal sealed class SettlementBatcher : IAsyncDisposable
{
    /// <summary>Most settlements in one script call.</summary>
    public const int MaxBatch = 128;

    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IConnectionMultiplexer _connection;
    private readonly Task _loop;

    public SettlementBatcher(IConnectionMultiplexer connection)
    {
        _connection = connection;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues one settlement (5 keys, 9 arguments) and completes when it has been applied.</summary>
    public Task SettleAsync(RedisKey[] keys, RedisValue[] args)
    {
        var item = new Item(keys, args);
        return _queue.Writer.TryWrite(item) ? item.Completion.Task : Task.FromException(new ObjectDisposedException(nameof(SettlementBatcher)));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
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

            try
            {
                await _connection.GetDatabase().ScriptEvaluateAsync(
                    AdmissionRedisScripts.Settle, [.. batch.SelectMany(i => i.Keys)], [.. batch.SelectMany(i => i.Args)]);
                batch.ForEach(static i => i.Completion.TrySetResult());
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                var failure = new StateStoreUnavailableException("The Redis admission store failed during 'settle'.", ex);
                batch.ForEach(i => i.Completion.TrySetException(failure));
            }

            batch.Clear();
        }
    }

    private sealed class Item(RedisKey[] keys, RedisValue[] args)
    {
        public RedisKey[] Keys { get; } = keys;

        public RedisValue[] Args { get; } = args;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
