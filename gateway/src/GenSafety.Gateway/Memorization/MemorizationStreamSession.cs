using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// One streamed response under the memorization filter: per choice a protected-text matcher (when the index has
/// documents), a divergence detector (after a repeat-forever prompt), the tokens of its logprobs (when the client asked
/// for them), and the text not released yet.
/// </summary>
internal sealed class MemorizationStreamSession(
    ProtectedTextIndex? index, string routeKind, bool holdBack, DivergenceWatch? divergence, LogprobRunWatch? runs, ClientIdentity? identity,
    MemorizationMetrics metrics, ILogger logger)
    : IStreamTransformSession
{
    // OpenAI caps n at 128; choices of further indexes are not checked, so they are dropped from the chunks.
    private const int MaxChoices = 128;

    private readonly Dictionary<int, StreamChoiceState> _choices = [];
    private readonly bool _completions = routeKind == RouteKinds.Completions;
    private JsonObject? _lastChunk;

    public async ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
    {
        JsonNode? chunk;
        try
        {
            chunk = JsonNode.Parse(sseEvent.Data);
        }
        catch (JsonException)
        {
            // The pump has checked the data is one JSON object; anything else is not ours to judge.
            await output.WriteAsync(sseEvent, cancellationToken);
            return;
        }

        if (chunk is not JsonObject obj)
        {
            await output.WriteAsync(sseEvent, cancellationToken);
            return;
        }

        var changed = false;
        StreamEndReason? end = null;
        try
        {
            if (obj["choices"] is JsonArray choices)
            {
                _lastChunk = obj;
                (changed, end) = Check(choices);
            }
        }
        catch (ArgumentException)
        {
            // A duplicate key: the chunk cannot be checked reliably, and must not pass as it is.
            MemorizationLog.ResponseUnreadable(logger, routeKind);
            output.End(new StreamEndReason(ErrorCodes.UpstreamInvalidResponse, "The upstream sent a chunk the gateway could not check.", MemorizationJsonTransform.TransformName));
            return;
        }

        await output.WriteAsync(changed ? sseEvent with { Data = obj.ToJsonString() } : sseEvent, cancellationToken);
        if (end is not null)
        {
            output.End(end);
        }
    }

    public async ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
    {
        // Choices that ended without a finish_reason chunk may still hold text.
        foreach (var (choiceIndex, state) in _choices)
        {
            InspectLogprobs(state);
            var (until, reason) = state.Complete();
            await FlushAsync(choiceIndex, state, state.Release(until), output, cancellationToken);
            if (reason is not null)
            {
                Stopped(state, reason);
                output.End(reason);
                return;
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // Runs each choice's delta through its matcher and detector and rewrites what may not pass yet.
    private (bool Changed, StreamEndReason? End) Check(JsonArray choices)
    {
        var changed = false;
        StreamEndReason? end = null;
        List<JsonNode>? dropped = null;
        foreach (var node in choices)
        {
            if (node is not JsonObject choice)
            {
                continue;
            }

            if (!TryChoice(choice, out var state))
            {
                (dropped ??= []).Add(choice);
                continue;
            }

            var delta = TextNode(choice) is JsonValue value && value.TryGetValue<string>(out var s) ? s : string.Empty;
            var finished = choice["finish_reason"] is JsonValue finish && finish.GetValueKind() == JsonValueKind.String;
            if (state.Logprobs is { } tokens)
            {
                LogprobTokens.Append(choice, routeKind, tokens);
                if (finished)
                {
                    InspectLogprobs(state);
                }
            }

            state.Template = choice;
            var (until, reason) = state.Append(delta, finished);
            var release = state.Release(until);
            if (reason is not null)
            {
                end ??= reason;
                Stopped(state, reason);
            }

            var dropLogprobs = (holdBack || reason is not null) && choice.ContainsKey("logprobs");
            if (release != delta || dropLogprobs)
            {
                SetText(choice, release);
                if (dropLogprobs)
                {
                    choice.Remove("logprobs");
                }

                changed = true;
            }
        }

        foreach (var choice in dropped ?? [])
        {
            choices.Remove(choice);
            changed = true;
        }

        return (changed, end);
    }

    // Once per choice: when it finishes, or at the end of a stream that never finished it.
    private void InspectLogprobs(StreamChoiceState state)
    {
        if (runs is not null && state.Logprobs is { } tokens)
        {
            state.Logprobs = null;
            runs.Inspect(tokens);
        }
    }

    private bool TryChoice(JsonObject choice, out StreamChoiceState state)
    {
        var i = choice["index"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
        if (_choices.TryGetValue(i, out state!))
        {
            return true;
        }

        if (_choices.Count >= MaxChoices)
        {
            return false;
        }

        metrics.Checked("stream");
        state = new StreamChoiceState(i, index?.CreateStreamMatcher(holdBack), divergence?.NewDetector()) { Logprobs = runs is null ? null : [] };
        _choices.Add(i, state);
        return true;
    }

    private JsonNode? TextNode(JsonObject choice) => _completions ? choice["text"] : (choice["delta"] as JsonObject)?["content"];

    private void SetText(JsonObject choice, string text)
    {
        if (_completions)
        {
            choice["text"] = text;
        }
        else if (choice["delta"] is JsonObject delta)
        {
            delta["content"] = text;
        }
        else
        {
            choice["delta"] = new JsonObject { ["content"] = text };
        }
    }

    // Held-back text of a choice that saw no finish chunk goes out in a copy of its last chunk.
    private async ValueTask FlushAsync(int choiceIndex, StreamChoiceState state, string text, IStreamOutput output, CancellationToken cancellationToken)
    {
        if (text.Length == 0 || state.Template is null || _lastChunk is null)
        {
            return;
        }

        var choice = (JsonObject)state.Template.DeepClone();
        choice["index"] = choiceIndex;
        choice["finish_reason"] = null;
        choice.Remove("logprobs");
        SetText(choice, text);
        var chunk = (JsonObject)_lastChunk!.DeepClone();
        chunk.Remove("usage");
        chunk["choices"] = new JsonArray(choice);
        await output.WriteAsync(SseEvent.FromData(chunk.ToJsonString()), cancellationToken);
    }

    private void Stopped(StreamChoiceState state, StreamEndReason reason)
    {
        metrics.StreamEnded();
        metrics.Blocked("stream_end");
        if (reason.Message == MemorizationStreamTransform.DivergedMessage)
        {
            divergence!.Prompts.OutputDiverged(identity);
            return;
        }

        metrics.Hit("stream");
        MemorizationLog.TextHit(logger, routeKind, state.Index, state.Matcher!.LongestChain * index!.NgramWidth,
            state.Matcher.MatchedDocumentId ?? "unknown", identity?.ClientId ?? "unknown", identity?.Tenant ?? "unknown", "stream_end");
    }
}
