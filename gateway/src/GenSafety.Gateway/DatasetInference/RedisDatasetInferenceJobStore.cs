using System.Globalization;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// <see cref="IDatasetInferenceJobStore"/> on Redis: the job hash <c>{prefix}:{tenant}:di:job:{id}</c> (fields client,
/// status, done, total, created, updated, finished, error, p, report, cancel) and the client's index
/// <c>{prefix}:{tenant}:di:jobs:{client}</c> (sorted set of job ids by creation), both expiring after the retention.
/// </summary>
internal sealed class RedisDatasetInferenceJobStore(IConnectionMultiplexer connection, IOptions<StateStoreOptions> state, IOptions<DatasetInferenceServiceOptions> options, TimeProvider time)
    : IDatasetInferenceJobStore
{
    // Sets progress and 'running' unless the job already ended, and returns the cancel flag in one round trip.
    private const string ProgressScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        local status = redis.call('HGET', KEYS[1], 'status')
        if status == 'queued' or status == 'running' then
          redis.call('HSET', KEYS[1], 'status', 'running', 'done', ARGV[1], 'total', ARGV[2], 'updated', ARGV[3])
        end
        if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 1 end
        return 0
        """;

    private readonly string _prefix = state.Value.KeyPrefix;
    private readonly TimeSpan _retention = options.Value.Retention;

    public Task CreateAsync(DatasetInferenceJob job, CancellationToken cancellationToken) => RunAsync(async db =>
    {
        var key = JobKey(job.Tenant, job.Id);
        var index = IndexKey(job.Tenant, job.ClientId);
        var batch = db.CreateBatch();
        var writes = new[]
        {
            batch.HashSetAsync(key,
            [
                new("client", job.ClientId), new("status", Name(job.Status)), new("done", job.Done), new("total", job.Total),
                new("created", job.Created.ToUnixTimeMilliseconds()), new("updated", job.Updated.ToUnixTimeMilliseconds()),
            ]),
            batch.KeyExpireAsync(key, _retention),
            batch.SortedSetAddAsync(index, job.Id, job.Created.ToUnixTimeMilliseconds()),
            batch.SortedSetRemoveRangeByScoreAsync(index, double.NegativeInfinity, (time.GetUtcNow() - _retention).ToUnixTimeMilliseconds()),
            batch.KeyExpireAsync(index, _retention),
        };
        batch.Execute();
        await Task.WhenAll(writes).ConfigureAwait(false);
        return true;
    });

    public Task<DatasetInferenceJob?> GetAsync(string tenant, string id, CancellationToken cancellationToken) => RunAsync(async db =>
    {
        var fields = (await db.HashGetAllAsync(JobKey(tenant, id)).ConfigureAwait(false)).ToDictionary(e => e.Name.ToString(), e => e.Value);
        if (!fields.TryGetValue("status", out var status))
        {
            return null;
        }

        return new DatasetInferenceJob(
            id, tenant, fields["client"].ToString(), Parse(status.ToString()), (long)fields["done"], (long)fields["total"],
            FromMs(fields["created"]), FromMs(fields["updated"]),
            fields.TryGetValue("finished", out var finished) ? FromMs(finished) : null,
            fields.TryGetValue("error", out var error) ? error.ToString() : null,
            fields.TryGetValue("p", out var p) ? double.Parse(p.ToString(), CultureInfo.InvariantCulture) : null,
            fields.TryGetValue("report", out var report) ? report.ToString() : null);
    });

    public Task<bool> UpdateProgressAsync(string tenant, string id, long done, long total, CancellationToken cancellationToken) => RunAsync(async db =>
    {
        var result = (long)await db.ScriptEvaluateAsync(ProgressScript, [JobKey(tenant, id)], [done, total, time.GetUtcNow().ToUnixTimeMilliseconds()]).ConfigureAwait(false);
        return result != 0; // a job that vanished (-1) is as good as cancelled
    });

    public Task FinishAsync(string tenant, string id, DatasetInferenceJobStatus status, long done, string? error, double? pValue, string? reportJson, CancellationToken cancellationToken)
        => RunAsync(async db =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var entries = new List<HashEntry> { new("status", Name(status)), new("done", done), new("finished", now), new("updated", now) };
            entries.AddRange(error is null ? [] : [new HashEntry("error", error)]);
            entries.AddRange(pValue is { } p ? [new HashEntry("p", p.ToString("R", CultureInfo.InvariantCulture))] : []);
            entries.AddRange(reportJson is null ? [] : [new HashEntry("report", reportJson)]);
            await db.HashSetAsync(JobKey(tenant, id), [.. entries]).ConfigureAwait(false);
            return true;
        });

    public Task<bool> RequestCancelAsync(string tenant, string id, CancellationToken cancellationToken) => RunAsync(async db =>
    {
        const string Script = "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end redis.call('HSET', KEYS[1], 'cancel', '1') return 1";
        return (long)await db.ScriptEvaluateAsync(Script, [JobKey(tenant, id)]).ConfigureAwait(false) == 1;
    });

    public Task<IReadOnlyList<(string Id, double PValue)>> SucceededPValuesAsync(string tenant, string clientId, CancellationToken cancellationToken) => RunAsync(async db =>
    {
        var ids = await db.SortedSetRangeByRankAsync(IndexKey(tenant, clientId)).ConfigureAwait(false);
        var batch = db.CreateBatch();
        var reads = ids.Select(id => batch.HashGetAsync(JobKey(tenant, id.ToString()), ["status", "p"])).ToArray();
        batch.Execute();
        var values = await Task.WhenAll(reads).ConfigureAwait(false);
        return (IReadOnlyList<(string, double)>)[.. ids.Zip(values)
            .Where(pair => pair.Second[0] == "succeeded" && pair.Second[1].HasValue)
            .Select(pair => (pair.First.ToString(), double.Parse(pair.Second[1].ToString(), CultureInfo.InvariantCulture)))];
    });

    internal static string Name(DatasetInferenceJobStatus status) => status.ToString().ToLowerInvariant();

    private static DatasetInferenceJobStatus Parse(string status) => Enum.Parse<DatasetInferenceJobStatus>(status, ignoreCase: true);

    private static DateTimeOffset FromMs(RedisValue value) => DateTimeOffset.FromUnixTimeMilliseconds((long)value);

    private RedisKey JobKey(string tenant, string id) => $"{_prefix}:{tenant}:di:job:{id}";

    private RedisKey IndexKey(string tenant, string clientId) => $"{_prefix}:{tenant}:di:jobs:{clientId}";

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> operation)
    {
        try
        {
            return await operation(connection.GetDatabase()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("The Redis dataset-inference job store failed.", ex);
        }
    }
}
