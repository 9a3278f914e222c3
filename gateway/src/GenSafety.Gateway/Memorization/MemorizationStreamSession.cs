using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// One streamed response under the memorization filter: per choice a protected-text matcher (when the index has
/// documents) and a divergence detector (after a repeat-forever prompt), and the text not released yet.
/// </summary>
internal sealed class MemorizationStreamSession(
    ProtectedTextIndex? index, string routeKind, bool holdBack, DivergenceWatch? divergence, ClientIdentity? identity, MemorizationMetrics metrics, ILogger logger)
    : IStreamTransformSession
{
    // OpenAI caps n at 128; choices of further indexes are not checked, so they are dropped from the chunks.
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
        state = new ChoiceState(i, index?.CreateStreamMatcher(holdBack), divergence?.NewDetector());
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

    private void Stopped(ChoiceState state, StreamEndReason reason)
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

    private sealed class ChoiceState(int index, ProtectedTextStreamMatcher? matcher, StreamDivergenceDetector? divergence)
    {
        private static readonly StreamEndReason Protected =
            new(ErrorCodes.OutputBlocked, MemorizationStreamTransform.StopMessage, MemorizationJsonTransform.TransformName);

        private static readonly StreamEndReason Diverged =
            new(ErrorCodes.OutputBlocked, MemorizationStreamTransform.DivergedMessage, MemorizationJsonTransform.TransformName);

        private long _received;

        public int Index { get; } = index;

        public ProtectedTextStreamMatcher? Matcher { get; } = matcher;

        /// <summary>Text received and not yet forwarded; it starts at stream offset <see cref="Forwarded"/>.</summary>
        public StringBuilder Received { get; } = new();

        public long Forwarded { get; private set; }

        public JsonObject? Template { get; set; }

        /// <summary>Takes a delta; returns how far the stream may go now and, when it must end, why.</summary>
        public (long Until, StreamEndReason? Reason) Append(string delta, bool finished)
        {
            Received.Append(delta);
            _received += delta.Length;
            var status = Matcher is null ? default : Matcher.Append(delta);
            if (Matcher is not null && !status.Stopped && finished)
            {
                status = Matcher.Complete();
            }

            var verdict = divergence is null ? default : divergence.Append(delta);
            if (divergence is not null && !verdict.Diverged && finished)
            {
                verdict = divergence.Complete();
            }

            return Decide(status, verdict);
        }

        /// <summary>Ends the choice's text at the end of the stream.</summary>
        public (long Until, StreamEndReason? Reason) Complete()
            => Decide(Matcher?.Complete() ?? default, divergence?.Complete() ?? default);

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

        private (long Until, StreamEndReason? Reason) Decide(StreamMatchStatus status, DivergenceVerdict verdict)
        {
            // Without a matcher everything received may go (the divergence detector decides on words as they come).
            var until = Matcher is null ? _received : status.Stopped ? status.StopOffset : status.ForwardableOffset;
            if (verdict.Diverged && !(status.Stopped && status.StopOffset <= verdict.DivergenceOffset))
            {
                return (Math.Min(until, Math.Max(0, verdict.DivergenceOffset)), Diverged);
            }

            return (until, status.Stopped ? Protected : null);
        }
    }
}
