namespace GenSafety.Gateway.DatasetInference;

/// <summary>A dataset-inference job as stored: who asked, where it stands, and its report once done.</summary>
/// <param name="Id">Job id (<c>di-</c> + 24 hex digits).</param>
/// <param name="Tenant">Tenant of the client that started it.</param>
/// <param name="ClientId">The client that started it; only that client can read or cancel it.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Done">Upstream texts scored so far.</param>
/// <param name="Total">Upstream texts to score.</param>
/// <param name="Created">When it was accepted.</param>
/// <param name="Updated">The last progress write (a running job whose replica stopped goes stale).</param>
/// <param name="Finished">When it ended, if it did.</param>
/// <param name="Error">Why it failed (safe to show: never document text).</param>
/// <param name="PValue">The test's p-value, when it succeeded (for Holm across the client's jobs).</param>
/// <param name="ReportJson">The report (JSON object), when it succeeded.</param>
public sealed record DatasetInferenceJob(
    string Id, string Tenant, string ClientId, DatasetInferenceJobStatus Status, long Done, long Total, DateTimeOffset Created, DateTimeOffset Updated,
    DateTimeOffset? Finished = null, string? Error = null, double? PValue = null, string? ReportJson = null);

/// <summary>Where a job stands.</summary>
public enum DatasetInferenceJobStatus
{
    /// <summary>Accepted, waiting for the worker.</summary>
    Queued,

    /// <summary>Scoring documents on the upstream, or analysing.</summary>
    Running,

    /// <summary>Done; the report is ready.</summary>
    Succeeded,

    /// <summary>Ended with an error.</summary>
    Failed,

    /// <summary>Cancelled by its owner.</summary>
    Cancelled,
}
