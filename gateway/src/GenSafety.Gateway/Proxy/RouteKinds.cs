namespace GenSafety.Gateway.Proxy;

/// <summary>The OpenAI routes the gateway understands; used as route metadata and as a bounded metric tag.</summary>
public static class RouteKinds
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    public const string ChatCompletions = "chat.completions";

    /// <summary><c>POST /v1/completions</c>.</summary>
    public const string Completions = "completions";

    /// <summary><c>POST /v1/embeddings</c>.</summary>
    public const string Embeddings = "embeddings";

    /// <summary><c>POST /v1/images/generations</c>.</summary>
    public const string ImagesGenerations = "images.generations";

    /// <summary><c>GET /v1/models</c>.</summary>
    public const string Models = "models";

    /// <summary>Any other proxied route.</summary>
    public const string Other = "other";
}
