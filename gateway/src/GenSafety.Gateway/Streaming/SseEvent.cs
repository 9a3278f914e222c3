namespace GenSafety.Gateway.Streaming;

/// <summary>
/// One server-sent event as parsed from an upstream stream (or built by a transform).
/// A comment line (<c>: keep-alive</c>) is an event of kind <see cref="SseEventKind.Comment"/> whose
/// <see cref="Data"/> is the comment text.
/// </summary>
/// <param name="Kind">Event or comment.</param>
/// <param name="Data">The data lines joined with '\n' (for a comment: the comment text).</param>
/// <param name="EventType">The <c>event:</c> field, if any.</param>
/// <param name="Id">The <c>id:</c> field, if any.</param>
/// <param name="Retry">The <c>retry:</c> field in milliseconds, if any.</param>
public sealed record SseEvent(SseEventKind Kind, string Data, string? EventType = null, string? Id = null, int? Retry = null)
{
    /// <summary>The OpenAI end-of-stream sentinel payload.</summary>
    public const string DoneSentinel = "[DONE]";

    /// <summary>A <c>data: [DONE]</c> event.</summary>
    public static SseEvent Done { get; } = new(SseEventKind.Event, DoneSentinel);

    /// <summary>Whether this is the <c>data: [DONE]</c> sentinel.</summary>
    public bool IsDone => Kind == SseEventKind.Event && EventType is null && Data == DoneSentinel;

    /// <summary>Creates a data-only event.</summary>
    public static SseEvent FromData(string data) => new(SseEventKind.Event, data);
}

/// <summary>What an <see cref="SseEvent"/> carries.</summary>
public enum SseEventKind
{
    /// <summary>A dispatched event (fields followed by a blank line).</summary>
    Event,

    /// <summary>A comment line, used as keep-alive.</summary>
    Comment,
}
