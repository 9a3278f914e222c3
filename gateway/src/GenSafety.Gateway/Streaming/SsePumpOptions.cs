using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

namespace GenSafety.Gateway.Streaming;

/// <summary>Settings for one <see cref="SseStreamPump.RunAsync"/> call; immutable, so one instance per route kind can be shared.</summary>
public sealed class SsePumpOptions
{
    /// <summary>
    /// The route kind (<see cref="RouteKinds"/>); decides the shape of the content-filter chunk:
    /// <see cref="RouteKinds.Completions"/> gets <c>text_completion</c>, anything else <c>chat.completion.chunk</c>.
    /// </summary>
    public string RouteKind { get; init; } = RouteKinds.ChatCompletions;

    /// <summary>Limits for parsing the upstream stream.</summary>
    public SseReaderOptions ReaderOptions { get; init; } = SseReaderOptions.Default;

    /// <summary>Clock for the timings in <see cref="SsePumpResult"/> and the fallback <c>created</c> value.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the pump logs how a stream ended (never bodies).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
