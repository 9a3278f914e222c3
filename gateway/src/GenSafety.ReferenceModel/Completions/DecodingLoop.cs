using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>Drives the choices of one request: to completion, or in lockstep rounds for streaming.</summary>
internal static class DecodingLoop
{
    /// <summary>Decodes every stream to the end (non-streaming responses).</summary>
    public static void RunToCompletion(IEnumerable<GenerationStream> streams, CancellationToken cancellationToken)
    {
        foreach (var stream in streams)
        {
            while (stream.TryStep(out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>
    /// Streams advance in lockstep, one token each per round like a batched decoder, after an optional per-token
    /// delay. <paramref name="onText"/> gets each step that carries a token or text; <paramref name="onFinish"/>
    /// gets each stream's finish reason once.
    /// </summary>
    public static async Task RunRoundsAsync(
        IReadOnlyList<GenerationStream> streams,
        int tokenDelayMs,
        Func<int, GenerationStep, ValueTask> onText,
        Func<int, string, ValueTask> onFinish,
        CancellationToken cancellationToken)
    {
        var active = streams.Count;
        while (active > 0)
        {
            if (tokenDelayMs > 0)
            {
                await Task.Delay(tokenDelayMs, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            active = 0;
            for (var i = 0; i < streams.Count; i++)
            {
                if (!streams[i].TryStep(out var step))
                {
                    continue;
                }

                if (step.HasToken || step.Delta.Length > 0)
                {
                    await onText(i, step);
                }

                if (streams[i].FinishReason is { } reason)
                {
                    await onFinish(i, reason);
                }
                else
                {
                    active++;
                }
            }
        }
    }

    /// <summary>The final <c>stream_options.include_usage</c> chunk: no choices, the request's usage.</summary>
    public static ValueTask WriteUsageChunkAsync(SseWriter sse, ResponseHeader header, string objectType, int promptTokens, int completionTokens)
    {
        var writer = sse.BeginEvent();
        writer.WriteStartObject();
        TextJson.WriteHeader(writer, header.Id, objectType, header.Created, header.Model, header.Fingerprint);
        writer.WriteStartArray("choices");
        writer.WriteEndArray();
        TextJson.WriteUsage(writer, promptTokens, completionTokens);
        writer.WriteEndObject();
        return sse.EndEventAsync();
    }
}
