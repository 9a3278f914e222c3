using Yarp.ReverseProxy.Configuration;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Finds the <see cref="RouteKinds"/> value of a request: the YARP route's metadata entry
/// <c>GenSafety.RouteKind</c> when set, otherwise inferred from the path, so operators can add routes in config.
/// </summary>
public static class RouteKindMetadata
{
    /// <summary>Metadata key on a YARP route.</summary>
    public const string MetadataKey = "GenSafety.RouteKind";

    /// <summary>The route kind of a YARP route.</summary>
    public static string Of(RouteConfig route)
    {
        if (route.Metadata is not null && route.Metadata.TryGetValue(MetadataKey, out var kind) && !string.IsNullOrEmpty(kind))
        {
            return kind;
        }

        return FromPath(route.Match.Path);
    }

    /// <summary>The route kind of the current request (from its matched YARP route, else its path).</summary>
    public static string Of(HttpContext context)
    {
        var feature = context.Features.Get<Yarp.ReverseProxy.Model.IReverseProxyFeature>();
        return feature is not null ? Of(feature.Route.Config) : FromPath(context.Request.Path.Value);
    }

    /// <summary>Infers the route kind from a request path or route pattern.</summary>
    public static string FromPath(string? path) => path?.TrimEnd('/') switch
    {
        "/v1/chat/completions" => RouteKinds.ChatCompletions,
        "/v1/completions" => RouteKinds.Completions,
        "/v1/embeddings" => RouteKinds.Embeddings,
        "/v1/images/generations" => RouteKinds.ImagesGenerations,
        "/v1/models" => RouteKinds.Models,
        _ => RouteKinds.Other,
    };
}
