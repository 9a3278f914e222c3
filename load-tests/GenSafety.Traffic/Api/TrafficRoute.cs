namespace GenSafety.Traffic.Api;

/// <summary>The OpenAI-compatible routes the generator calls.</summary>
public enum TrafficRoute
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    ChatCompletions,

    /// <summary><c>POST /v1/embeddings</c>.</summary>
    Embeddings,
}

/// <summary>Paths and record names of <see cref="TrafficRoute"/>.</summary>
public static class TrafficRoutes
{
    /// <summary>The request path (relative to the target's root).</summary>
    public static string Path(TrafficRoute route) => route switch
    {
        TrafficRoute.ChatCompletions => "v1/chat/completions",
        TrafficRoute.Embeddings => "v1/embeddings",
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };

    /// <summary>The name written to records (the gateway's route kind).</summary>
    public static string Name(TrafficRoute route) => route switch
    {
        TrafficRoute.ChatCompletions => "chat.completions",
        TrafficRoute.Embeddings => "embeddings",
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };
}
