using System.Text.Json;
using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// The protected corpora on the admin listener (admin token): <c>POST /admin/protected/text</c>,
/// <c>POST /admin/protected/images</c> and <c>GET /admin/protected</c>. Ids already present are skipped, not
/// replaced; bad input is a 400 (413 over <see cref="MemorizationOptions.MaxAdminBodyBytes"/>) naming the field.
/// </summary>
public static class ProtectedCorpusEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapProtectedCorpusEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/admin/protected").AddEndpointFilter<AdminAuthenticationFilter>().WithMetadata(AdminListenerMetadata.Instance);
        group.MapGet(string.Empty, GetAsync);
        group.MapPost("/text", AddTextAsync);
        group.MapPost("/images", AddImagesAsync);
        return endpoints;
    }

    private static async Task GetAsync(HttpContext context, ProtectedCorpus corpus, IProtectedCorpusStore store, IOptions<MemorizationOptions> options)
    {
        var text = corpus.Text;
        var images = corpus.Images;
        await context.Response.WriteAsJsonAsync(
            new
            {
                @object = "protected_corpus",
                enabled = options.Value.Enabled,
                threshold_chars = options.Value.ThresholdChars,
                text = new
                {
                    documents = text.DocumentCount,
                    ngrams = text.NgramCount,
                    bytes = store.StoredTextBytes,
                    version = text.Version,
                    bloom_bits = text.Filter.BitCount,
                    estimated_false_positive_rate = text.EstimatedFalsePositiveRate,
                    attribution_complete = text.Attribution.IsComplete,
                },
                images = new { count = images.Count, version = corpus.ImagesVersion, max_hamming_distance = images.Options.MaxDistance },
            },
            context.RequestAborted);
    }

    private static Task AddTextAsync(HttpContext context, IProtectedCorpusStore store, IOptions<MemorizationOptions> options, MemorizationMetrics metrics)
        => AddAsync(context, options.Value, root => ProtectedCorpusRequest.ReadDocuments(root, options.Value),
            (documents, ct) => store.AddTextAsync(documents, ct), "protected.text.add", "text", metrics);

    private static Task AddImagesAsync(
        HttpContext context, IProtectedCorpusStore store, ProtectedCorpus corpus, IOptions<MemorizationOptions> options, MemorizationMetrics metrics)
        => AddAsync(context, options.Value, root => ProtectedCorpusRequest.ReadImages(root, options.Value, corpus.ImageOptions.MinQuality),
            (images, ct) => store.AddImagesAsync(images, ct), "protected.images.add", "images", metrics);

    private static async Task AddAsync<T>(
        HttpContext context, MemorizationOptions options, Func<JsonElement, List<T>> read,
        Func<List<T>, CancellationToken, Task<ProtectedCorpusChange>> add, string objectName, string corpus, MemorizationMetrics metrics)
    {
        List<T> items;
        try
        {
            items = await ReadAsync(context, options, read);
        }
        catch (ProtectedCorpusRequestException ex)
        {
            var tooLarge = ex.Param == JsonRequestBody.TooLargeParam;
            await OpenAIError.WriteAsync(context, tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                tooLarge ? ErrorCodes.RequestTooLarge : ErrorCodes.InvalidRequest, ex.Message, tooLarge ? null : ex.Param);
            return;
        }

        ProtectedCorpusChange change;
        try
        {
            change = await add(items, context.RequestAborted);
        }
        catch (StateStoreUnavailableException)
        {
            await AdminEndpoints.StateStoreDownAsync(context);
            return;
        }

        metrics.Added(corpus, change.Added.Count);
        await context.Response.WriteAsJsonAsync(
            new { @object = objectName, added = change.Added, skipped = change.Skipped, ngrams = change.Ngrams, version = change.Version },
            context.RequestAborted);
    }

    private static Task<List<T>> ReadAsync<T>(HttpContext context, MemorizationOptions options, Func<JsonElement, List<T>> read)
        => JsonRequestBody.ReadAsync(context, options.MaxAdminBodyBytes, read, static (message, param) => new ProtectedCorpusRequestException(message, param));
}
