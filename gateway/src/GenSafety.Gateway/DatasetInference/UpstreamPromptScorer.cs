using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GenSafety.Detectors.DatasetInference;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// <see cref="IPromptScorer"/> over an OpenAI-compatible upstream: batches of texts go to <c>/v1/completions</c> as a
/// prompt array with <c>echo: true</c>, <c>logprobs: k</c>, <c>max_tokens: 0</c> (and <c>prompt_logprob_moments</c>
/// where the upstream offers it); each choice's legacy <c>logprobs</c> give the prompt tokens' logprobs (the first,
/// which has none, dropped; anything past the prompt's text ignored). Requests share a replica-wide budget
/// (<see cref="UpstreamRequestBudget"/>). An upstream that refuses or answers garbage fails the job with
/// <see cref="UpstreamScoringException"/>, whose message says what the upstream did (never the documents).
/// </summary>
internal sealed class UpstreamPromptScorer(
    HttpClient http, Uri baseAddress, string model, string? apiKey, int topLogprobs, bool requestMoments, int batchSize, UpstreamRequestBudget budget,
    Action<int>? scored = null) : IPromptScorer
{
    public async Task<IReadOnlyList<IReadOnlyList<ScoredToken>>> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new List<IReadOnlyList<ScoredToken>>(texts.Count);
        foreach (var batch in texts.Chunk(batchSize))
        {
            using var lease = await budget.AcquireAsync(cancellationToken).ConfigureAwait(false);
            result.AddRange(await ScoreBatchAsync(batch, cancellationToken).ConfigureAwait(false));
            scored?.Invoke(batch.Length);
        }

        return result;
    }

    private async Task<IReadOnlyList<ScoredToken>[]> ScoreBatchAsync(string[] batch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "v1/completions"))
        {
            Content = new StringContent(RequestBody(batch), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new UpstreamScoringException($"The upstream could not be reached ({ex.HttpRequestError}).", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamScoringException("The upstream did not answer in time.", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new UpstreamScoringException($"The upstream refused prompt scoring with HTTP {(int)response.StatusCode}{ErrorCode(body)}.");
            }

            try
            {
                return Parse(body, batch);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
            {
                throw new UpstreamScoringException("The upstream's answer has no usable prompt logprobs (it needs echo with logprobs on /v1/completions).", ex);
            }
        }
    }

    private string RequestBody(string[] batch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WriteStartArray("prompt");
            foreach (var text in batch)
            {
                writer.WriteStringValue(text);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("echo", true);
            writer.WriteNumber("max_tokens", 0);
            writer.WriteNumber("logprobs", topLogprobs);
            writer.WriteNumber("temperature", 0);
            if (requestMoments)
            {
                writer.WriteBoolean("prompt_logprob_moments", true);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IReadOnlyList<ScoredToken>[] Parse(byte[] body, string[] batch)
    {
        using var document = JsonDocument.Parse(body);
        var result = new IReadOnlyList<ScoredToken>[batch.Length];
        foreach (var choice in document.RootElement.GetProperty("choices").EnumerateArray())
        {
            var index = choice.GetProperty("index").GetInt32();
            result[index] = Tokens(choice.GetProperty("logprobs"), batch[index].Length);
        }

        if (result.Any(r => r is null))
        {
            throw new InvalidOperationException("A prompt has no choice.");
        }

        return result;
    }

    private static List<ScoredToken> Tokens(JsonElement logprobs, int promptLength)
    {
        var values = logprobs.GetProperty("token_logprobs");
        var offsets = logprobs.GetProperty("text_offset");
        var hasTop = logprobs.TryGetProperty("top_logprobs", out var tops) && tops.ValueKind == JsonValueKind.Array;
        var hasMoments = logprobs.TryGetProperty("token_logprob_moments", out var moments) && moments.ValueKind == JsonValueKind.Array;
        var tokens = new List<ScoredToken>(values.GetArrayLength());
        for (var i = 1; i < values.GetArrayLength() && offsets[i].GetInt32() < promptLength; i++)
        {
            var top = hasTop && tops[i].ValueKind == JsonValueKind.Object ? tops[i].EnumerateObject().Select(p => p.Value.GetDouble()).ToArray() : null;
            DistributionMoments? moment = hasMoments && moments[i].ValueKind == JsonValueKind.Object
                ? new DistributionMoments(moments[i].GetProperty("mean").GetDouble(), moments[i].GetProperty("std").GetDouble())
                : null;
            tokens.Add(new ScoredToken(values[i].GetDouble(), top, moment));
        }

        if (tokens.Count == 0)
        {
            throw new InvalidOperationException("A prompt has no scored token.");
        }

        return tokens;
    }

    // The upstream's OpenAI error code, when its body has one (never the message: it may quote the documents).
    private static string ErrorCode(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? $" ({code.GetString()})"
                : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}

/// <summary>The upstream could not score prompts; the message is safe to show to the job's owner.</summary>
public sealed class UpstreamScoringException(string message, Exception? inner = null) : Exception(message, inner);
