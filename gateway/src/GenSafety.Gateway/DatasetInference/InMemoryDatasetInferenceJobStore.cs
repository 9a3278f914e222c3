using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.DatasetInference;

/// <summary><see cref="IDatasetInferenceJobStore"/> in this process (no Redis): jobs are visible to this replica only.</summary>
internal sealed class InMemoryDatasetInferenceJobStore(IOptions<DatasetInferenceServiceOptions> options, TimeProvider time) : IDatasetInferenceJobStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Id), Entry> _jobs = new();
    private readonly TimeSpan _retention = options.Value.Retention;

    public Task CreateAsync(DatasetInferenceJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        Evict();
        _jobs[(job.Tenant, job.Id)] = new Entry(job);
        return Task.CompletedTask;
    }

    public Task<DatasetInferenceJob?> GetAsync(string tenant, string id, CancellationToken cancellationToken)
        => Task.FromResult(_jobs.TryGetValue((tenant, id), out var entry) ? entry.Job : null);

    public Task<bool> UpdateProgressAsync(string tenant, string id, long done, long total, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue((tenant, id), out var entry))
        {
            return Task.FromResult(true);
        }

        lock (entry)
        {
            if (entry.Job.Status is DatasetInferenceJobStatus.Queued or DatasetInferenceJobStatus.Running)
            {
                entry.Job = entry.Job with { Status = DatasetInferenceJobStatus.Running, Done = done, Total = total, Updated = time.GetUtcNow() };
            }

            return Task.FromResult(entry.CancelRequested);
        }
    }

    public Task FinishAsync(string tenant, string id, DatasetInferenceJobStatus status, long done, string? error, double? pValue, string? reportJson, CancellationToken cancellationToken)
    {
        if (_jobs.TryGetValue((tenant, id), out var entry))
        {
            lock (entry)
            {
                var now = time.GetUtcNow();
                entry.Job = entry.Job with { Status = status, Done = done, Error = error, PValue = pValue, ReportJson = reportJson, Finished = now, Updated = now };
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> RequestCancelAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        if (!_jobs.TryGetValue((tenant, id), out var entry))
        {
            return Task.FromResult(false);
        }

        lock (entry)
        {
            entry.CancelRequested = true;
        }

        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<(string Id, double PValue)>> SucceededPValuesAsync(string tenant, string clientId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<(string, double)>>([.. _jobs.Values
            .Select(e => e.Job)
            .Where(j => j.Tenant == tenant && j.ClientId == clientId && j.Status == DatasetInferenceJobStatus.Succeeded && j.PValue is not null)
            .OrderBy(j => j.Created)
            .Select(j => (j.Id, j.PValue!.Value))]);

    private void Evict()
    {
        var cutoff = time.GetUtcNow() - _retention;
        foreach (var (key, entry) in _jobs)
        {
            if (entry.Job.Created < cutoff)
            {
                _jobs.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry(DatasetInferenceJob job)
    {
        public DatasetInferenceJob Job { get; set; } = job;

        public bool CancelRequested { get; set; }
    }
}
