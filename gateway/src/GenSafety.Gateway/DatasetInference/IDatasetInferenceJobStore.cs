namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// Where dataset-inference jobs live: Redis (<c>gs:{tenant}:di:job:{id}</c> hashes and a per-client index, shared by
/// every replica, kept for <see cref="DatasetInferenceServiceOptions.Retention"/>) or memory. Documents are never
/// stored: the replica that accepted a job keeps them in memory while it runs. Failures throw
/// <see cref="State.StateStoreUnavailableException"/>.
/// </summary>
public interface IDatasetInferenceJobStore
{
    /// <summary>Stores a new job.</summary>
    Task CreateAsync(DatasetInferenceJob job, CancellationToken cancellationToken);

    /// <summary>The job, or null when it does not exist (or expired).</summary>
    Task<DatasetInferenceJob?> GetAsync(string tenant, string id, CancellationToken cancellationToken);

    /// <summary>Records progress (and the running status); returns whether the owner asked to cancel.</summary>
    Task<bool> UpdateProgressAsync(string tenant, string id, long done, long total, CancellationToken cancellationToken);

    /// <summary>Records the end of a job, with the texts it scored.</summary>
    Task FinishAsync(string tenant, string id, DatasetInferenceJobStatus status, long done, string? error, double? pValue, string? reportJson, CancellationToken cancellationToken);

    /// <summary>Asks a job to stop; false when it does not exist.</summary>
    Task<bool> RequestCancelAsync(string tenant, string id, CancellationToken cancellationToken);

    /// <summary>The p-values of the client's succeeded jobs (one claimant's family of tests, for Holm's correction).</summary>
    Task<IReadOnlyList<(string Id, double PValue)>> SucceededPValuesAsync(string tenant, string clientId, CancellationToken cancellationToken);
}
