using System.Text;
using System.Text.Json.Nodes;
using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// One choice of a streamed response under the memorization filter: its protected-text matcher, its divergence
/// detector, and the text received but not yet released (which starts at stream offset <see cref="Forwarded"/>).
/// </summary>
internal sealed class StreamChoiceState(int index, ProtectedTextStreamMatcher? matcher, StreamDivergenceDetector? divergence)
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

    /// <summary>The choice's streamed token logprobs so far, while they are being collected (null: not, or already inspected).</summary>
    public List<TokenLogprob>? Logprobs { get; set; }

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
