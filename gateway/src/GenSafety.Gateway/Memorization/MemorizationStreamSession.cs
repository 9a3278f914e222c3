using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Memorization;

/// <summary>One streamed response under the memorization filter: per-choice matchers and the text they have not released yet.</summary>
internal sealed class MemorizationStreamSession(
    ProtectedTextIndex index, string routeKind, bool holdBack, ClientIdentity? identity, MemorizationMetrics metrics, ILogger logger) : IStreamTransformSession
{
    // OpenAI caps n at 128; further choice indexes are not tracked (and not forwarded).
    private const int MaxChoices = 128;

    private readonly Dictionary<int, ChoiceState> _choices = [];
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

        if (chunk is not JsonObject obj || obj["choices"] is not JsonArray choices)
        {
            await output.WriteAsync(sseEvent, cancellationToken);
            return;
        }

        _lastChunk = obj;
        var changed = false;
        var stopped = false;
        foreach (var node in choices)
        {
            if (node is not JsonObject choice || !TryChoice(choice, out var state))
            {
                continue;
            }

            var textNode = TextNode(choice);
            var delta = textNode is JsonValue value && value.TryGetValue<string>(out var s) ? s : string.Empty;
            state.Received.Append(delta);
            var status = state.Matcher.Append(delta);
            if (!status.Stopped && choice["finish_reason"] is JsonValue finish && finish.GetValueKind() == JsonValueKind.String)
            {
                status = state.Matcher.Complete();
            }

            state.Template = choice;
            var release = state.Release(status.Stopped ? status.StopOffset : status.ForwardableOffset);
            if (status.Stopped)
            {
                stopped = true;
                Stop(state);
            }

            if (release != delta || (holdBack || status.Stopped) && choice.ContainsKey("logprobs"))
            {
                SetText(choice, release);
                if (holdBack || status.Stopped)
                {
                    choice.Remove("logprobs");
                }

                changed = true;
            }
        }

        await output.WriteAsync(changed ? sseEvent with { Data = obj.ToJsonString() } : sseEvent, cancellationToken);
        if (stopped)
        {
            output.End(new StreamEndReason(ErrorCodes.OutputBlocked, MemorizationStreamTransform.StopMessage, MemorizationJsonTransform.TransformName));
        }
    }

    public async ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
    {
        // Choices that ended without a finish_reason chunk may still hold text.
        foreach (var (choiceIndex, state) in _choices)
        {
            var status = state.Matcher.Complete();
            if (status.Stopped)
            {
                await FlushAsync(choiceIndex, state, state.Release(status.StopOffset), output, cancellationToken);
                Stop(state);
                output.End(new StreamEndReason(ErrorCodes.OutputBlocked, MemorizationStreamTransform.StopMessage, MemorizationJsonTransform.TransformName));
                return;
            }

            await FlushAsync(choiceIndex, state, state.Release(status.ForwardableOffset), output, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private bool TryChoice(JsonObject choice, out ChoiceState state)
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
        state = new ChoiceState(index.CreateStreamMatcher(holdBack));
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
    private async ValueTask FlushAsync(int choiceIndex, ChoiceState state, string text, IStreamOutput output, CancellationToken cancellationToken)
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

    private void Stop(ChoiceState state)
    {
        metrics.Hit("stream");
        metrics.StreamEnded();
        metrics.Blocked("stream_end");
        MemorizationLog.TextHit(logger, routeKind, _choices.First(c => c.Value == state).Key, state.Matcher.LongestChain * index.NgramWidth,
            state.Matcher.MatchedDocumentId ?? "unknown", identity?.ClientId ?? "unknown", identity?.Tenant ?? "unknown", "stream_end");
    }

    private sealed class ChoiceState(ProtectedTextStreamMatcher matcher)
    {
        public ProtectedTextStreamMatcher Matcher { get; } = matcher;

        /// <summary>Text received and not yet forwarded; it starts at stream offset <see cref="Forwarded"/>.</summary>
        public StringBuilder Received { get; } = new();

        public long Forwarded { get; private set; }

        public JsonObject? Template { get; set; }

        /// <summary>Takes the text up to stream offset <paramref name="until"/> (never back before what was sent).</summary>
        public string Release(long until)
        {
            var count = (int)Math.Clamp(until - Forwarded, 0, Received.Length);
            if (count == 0)
            {
                return string.Empty;
            }

            var text = Received.ToString(0, count);
            Received.Remove(0, count);
            Forwarded += count;
            return text;
        }
    }
}
