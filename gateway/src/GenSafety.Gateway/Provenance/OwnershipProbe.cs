using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Collects a suspect model's outputs for the ownership test by prompting its OpenAI-compatible endpoint: each prompt
/// <see cref="OwnershipProbeSettings.Samples"/> times as one user message to <c>{endpoint}/chat/completions</c>,
/// <see cref="OwnershipProbeSettings.Concurrency"/> requests at a time. Failed requests (no answer, a non-2xx status, a
/// body without choice text) are counted, not retried; the test runs on what came back. Only the
/// <c>ownership-test</c> command probes: an admin API that fetches operator-given URLs from inside the cluster would be
/// a server-side request forgery channel.
/// </summary>
internal sealed class OwnershipProbe(HttpClient http)
{
    /// <summary>Prompts every prompt and returns the texts and counts.</summary>
    public async Task<OwnershipProbeResult> CollectAsync(OwnershipProbeSettings settings, IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(prompts);
        var url = new Uri(settings.Endpoint.AbsoluteUri.TrimEnd('/') + "/chat/completions");
        var jobs = prompts.SelectMany(p => Enumerable.Repeat(p, settings.Samples)).Select((prompt, i) => (prompt, i)).ToList();
        var texts = new string?[jobs.Count];
        var failures = 0;
        string? firstFailure = null;
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = cancellationToken }, async (job, ct) =>
        {
            var (text, failure) = await AskAsync(url, settings, job.prompt, ct);
            texts[job.i] = text;
            if (failure is not null)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, failure, null);
            }
        });

        return new OwnershipProbeResult([.. texts.OfType<string>().Where(t => t.Length > 0)], jobs.Count, failures, firstFailure);
    }

    private async Task<(string? Text, string? Failure)> AskAsync(Uri url, OwnershipProbeSettings settings, string prompt, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(Body(settings, prompt), Encoding.UTF8, "application/json") };
        if (settings.ApiKey is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
            }

            using var json = JsonDocument.Parse(body);
            var texts = json.RootElement.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array
                ? choices.EnumerateArray()
                    .Select(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object
                        && m.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString() : null)
                    .OfType<string>().ToList()
                : [];
            return texts.Count > 0 ? (string.Join("\n\n", texts), null) : (null, "an answer without choice text");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, ex is TaskCanceledException ? "timed out" : ex.GetType().Name);
        }
    }

    private static string Body(OwnershipProbeSettings settings, string prompt)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (settings.Model is { } model)
            {
                writer.WriteString("model", model);
            }

            writer.WriteStartArray("messages");
            writer.WriteStartObject();
            writer.WriteString("role", "user");
            writer.WriteString("content", prompt);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteNumber("max_tokens", settings.MaxTokens);
            writer.WriteNumber("temperature", settings.Temperature);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>How to probe a suspect endpoint.</summary>
/// <param name="Endpoint">The OpenAI base URL (as SDKs take it, e.g. <c>https://host/v1</c>); <c>/chat/completions</c> is appended.</param>
/// <param name="ApiKey">Bearer key, if the endpoint needs one.</param>
/// <param name="Model">The <c>model</c> field, if any.</param>
/// <param name="Samples">Requests per prompt.</param>
/// <param name="MaxTokens">Output length asked for.</param>
/// <param name="Temperature">Sampling temperature (1: the model's own distribution, where a mark shows most).</param>
/// <param name="Concurrency">Requests in flight.</param>
internal sealed record OwnershipProbeSettings(Uri Endpoint, string? ApiKey, string? Model, int Samples, int MaxTokens, double Temperature, int Concurrency);

/// <summary>What a probe collected.</summary>
/// <param name="Texts">The outputs (choices of one answer joined).</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="Failed">Requests without usable text.</param>
/// <param name="FirstFailure">Why the first one failed (a status or an exception type; never a body).</param>
internal sealed record OwnershipProbeResult(IReadOnlyList<string> Texts, int Requests, int Failed, string? FirstFailure);
