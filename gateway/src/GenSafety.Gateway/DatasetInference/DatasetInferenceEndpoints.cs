using System.Security.Cryptography;
using System.Text.Json;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.State;
using GenSafety.Detectors.Statistics;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// <c>POST /v1/dataset-inference</c> (start a job: 202 with its id), <c>GET /v1/dataset-inference/{id}</c> (status,
/// progress, report) and <c>DELETE /v1/dataset-inference/{id}</c> (cancel), on the public listener with the client's
/// key. A job belongs to the client that started it; others get 404. The GET adds Holm's correction over all of that
/// client's finished tests (one claimant's family).
/// </summary>
public static class DatasetInferenceEndpoints
{
    /// <summary>A running job whose progress is older than this ran on a replica that stopped.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>Maps the endpoints (when <see cref="DatasetInferenceServiceOptions.Enabled"/>).</summary>
    public static IEndpointRouteBuilder MapDatasetInferenceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<DatasetInferenceServiceOptions>>().Value.Enabled)
        {
            return endpoints;
        }

        var group = endpoints.MapGroup("/v1/dataset-inference").AddEndpointFilter<ClientAuthenticationFilter>();
        group.MapPost(string.Empty, StartAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapDelete("/{id}", CancelAsync);
        return endpoints;
    }

    private static async Task StartAsync(
        HttpContext context, IOptions<DatasetInferenceServiceOptions> options, IDatasetInferenceJobStore store, DatasetInferenceWorker worker, TimeProvider time)
    {
        var identity = context.Features.Get<ClientIdentity>()!;
        var settings = options.Value;
        DatasetInferenceRequest request;
        try
        {
            request = await ReadAsync(context, settings);
        }
        catch (DatasetInferenceRequestException ex)
        {
            var tooLarge = ex.Param == JsonRequestBody.TooLargeParam;
            await OpenAIError.WriteAsync(context, tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                tooLarge ? ErrorCodes.RequestTooLarge : ErrorCodes.InvalidRequest, ex.Message, tooLarge ? null : ex.Param);
            return;
        }

        var model = request.Model ?? settings.Model;
        if (model is null)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                "Name the model to test: 'model' in the body (the gateway has no default model configured).", "model");
            return;
        }

        var (suspect, heldout) = DatasetInferencePipeline.Chunk(request.Suspect, request.Heldout);
        var total = DatasetInferencePipeline.TextsToScore(suspect.Count + heldout.Count, settings.Perturbations.Count, settings.ReferenceAddress is not null);
        if (total > settings.MaxScoredTextsPerJob)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                $"The job would score {total} texts on the upstream ({suspect.Count + heldout.Count} chunks of 100-200 words, each with its perturbations); the limit is {settings.MaxScoredTextsPerJob}. Send fewer or shorter documents.");
            return;
        }

        var now = time.GetUtcNow();
        var job = new DatasetInferenceJob("di-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), identity.Tenant, identity.ClientId,
            DatasetInferenceJobStatus.Queued, 0, total, now, now);
        try
        {
            await store.CreateAsync(job, context.RequestAborted);
        }
        catch (StateStoreUnavailableException)
        {
            await StoreDownAsync(context);
            return;
        }

        var work = new DatasetInferenceWork(job, model, suspect, heldout,
            new ReportContext(model, request.Suspect.Count, request.Heldout.Count, suspect.Count, heldout.Count), request.Alpha, request.Seed);
        if (!worker.TryEnqueue(work))
        {
            await store.FinishAsync(job.Tenant, job.Id, DatasetInferenceJobStatus.Failed, 0, "The gateway's dataset-inference queue was full.", null, null, CancellationToken.None);
            context.Response.Headers.RetryAfter = "60";
            await OpenAIError.WriteAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                "Too many dataset-inference jobs are queued on this gateway; retry in a minute.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers.Location = $"/v1/dataset-inference/{job.Id}";
        await WriteJobAsync(context, job, null);
    }

    private static Task GetAsync(HttpContext context, string id, IDatasetInferenceJobStore store, TimeProvider time)
        => WithOwnJobAsync(context, id, store, async (identity, job) =>
        {
            if (job.Status == DatasetInferenceJobStatus.Running && time.GetUtcNow() - job.Updated > StaleAfter)
            {
                job = job with { Status = DatasetInferenceJobStatus.Failed, Error = "The gateway replica that ran the job stopped; start it again." };
            }

            var family = job.Status == DatasetInferenceJobStatus.Succeeded ? await store.SucceededPValuesAsync(identity.Tenant, identity.ClientId, context.RequestAborted) : [];
            await WriteJobAsync(context, job, family);
        });

    private static Task CancelAsync(HttpContext context, string id, IDatasetInferenceJobStore store)
        => WithOwnJobAsync(context, id, store, async (identity, job) =>
        {
            var active = job.Status is DatasetInferenceJobStatus.Queued or DatasetInferenceJobStatus.Running;
            if (active)
            {
                await store.RequestCancelAsync(identity.Tenant, id, context.RequestAborted);
            }

            await WriteJobAsync(context, job, null, cancelling: active);
        });

    // Loads the caller's own job (another client's is "not found") and runs the action; a store failure is a 503.
    private static async Task WithOwnJobAsync(HttpContext context, string id, IDatasetInferenceJobStore store, Func<ClientIdentity, DatasetInferenceJob, Task> action)
    {
        var identity = context.Features.Get<ClientIdentity>()!;
        try
        {
            var job = await store.GetAsync(identity.Tenant, id, context.RequestAborted);
            if (job is null || job.ClientId != identity.ClientId)
            {
                await NotFoundAsync(context, id);
                return;
            }

            await action(identity, job);
        }
        catch (StateStoreUnavailableException)
        {
            await StoreDownAsync(context);
        }
    }

    private static Task<DatasetInferenceRequest> ReadAsync(HttpContext context, DatasetInferenceServiceOptions settings)
        => JsonRequestBody.ReadAsync(context, settings.MaxRequestBytes, root => DatasetInferenceRequest.Parse(root, settings),
            static (message, param) => new DatasetInferenceRequestException(message, param));

    private static async Task WriteJobAsync(HttpContext context, DatasetInferenceJob job, IReadOnlyList<(string Id, double PValue)>? family, bool cancelling = false)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("id", job.Id);
        writer.WriteString("object", "dataset_inference.job");
        writer.WriteString("status", cancelling ? "cancelling" : RedisDatasetInferenceJobStore.Name(job.Status));
        writer.WriteNumber("created", job.Created.ToUnixTimeSeconds());
        if (job.Finished is { } finished)
        {
            writer.WriteNumber("finished", finished.ToUnixTimeSeconds());
        }

        writer.WriteStartObject("progress");
        writer.WriteNumber("scored", job.Done);
        writer.WriteNumber("total", job.Total);
        writer.WriteEndObject();
        if (job.Error is { } error)
        {
            writer.WriteString("error", error);
        }

        if (job.ReportJson is { } report)
        {
            writer.WritePropertyName("report");
            writer.WriteRawValue(report);
        }

        if (family is { Count: > 0 } && job.PValue is not null && family.Select(f => f.Id).ToList().IndexOf(job.Id) is >= 0 and var at)
        {
            writer.WriteStartObject("holm");
            writer.WriteNumber("tests", family.Count);
            writer.WriteNumber("adjusted_p_value", RankStatistics.HolmAdjust([.. family.Select(f => f.PValue)])[at]);
            writer.WriteString("note", "Holm's correction over every dataset-inference test this client ran in the retention period.");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static Task NotFoundAsync(HttpContext context, string id)
        => OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No dataset-inference job '{id}' for this client.", "id");

    private static Task StoreDownAsync(HttpContext context)
        => OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable, "The gateway's job store is unavailable; retry shortly.");
}
