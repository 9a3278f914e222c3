using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Requests;

/// <summary>One top-level field of a request body: its allowed kinds and, for numbers, its range.</summary>
/// <param name="Name">Field name.</param>
/// <param name="Kinds">Allowed JSON kinds.</param>
/// <param name="Required">Whether the field must be present.</param>
/// <param name="Minimum">Smallest allowed number, if bounded.</param>
/// <param name="Maximum">Largest allowed number, if bounded.</param>
public sealed record FieldRule(string Name, JsonKinds Kinds, bool Required = false, double? Minimum = null, double? Maximum = null);

/// <summary>
/// The field rules of the OpenAI routes: types and ranges of the fields the gateway (and later its shaping and
/// detectors) relies on. Unknown fields pass through untouched, so newer API fields keep working.
/// </summary>
public static class OpenAIRequestRules
{
    private const JsonKinds OptionalString = JsonKinds.String | JsonKinds.Null;
    private const JsonKinds OptionalNumber = JsonKinds.Number | JsonKinds.Null;
    private const JsonKinds OptionalInteger = JsonKinds.Integer | JsonKinds.Null;
    private const JsonKinds OptionalBoolean = JsonKinds.Boolean | JsonKinds.Null;
    private const JsonKinds OptionalObject = JsonKinds.Object | JsonKinds.Null;

    private static readonly FieldRule[] Sampling =
    [
        new("temperature", OptionalNumber, Minimum: 0, Maximum: 2),
        new("top_p", OptionalNumber, Minimum: 0, Maximum: 1),
        new("n", OptionalInteger, Minimum: 1, Maximum: 128),
        new("max_tokens", OptionalInteger, Minimum: 0),
        new("stream", OptionalBoolean),
        new("stream_options", OptionalObject),
        new("stop", JsonKinds.String | JsonKinds.Array | JsonKinds.Null),
        new("logit_bias", OptionalObject),
        new("seed", OptionalInteger),
        new("presence_penalty", OptionalNumber, Minimum: -2, Maximum: 2),
        new("frequency_penalty", OptionalNumber, Minimum: -2, Maximum: 2),
        new("user", OptionalString),
    ];

    private static readonly FieldRule[] ChatCompletions =
    [
        new("model", JsonKinds.String, Required: true),
        new("messages", JsonKinds.Array, Required: true),
        new("logprobs", OptionalBoolean),
        new("top_logprobs", OptionalInteger, Minimum: 0, Maximum: 20),
        new("max_completion_tokens", OptionalInteger, Minimum: 0),
        new("tools", JsonKinds.Array | JsonKinds.Null),
        new("response_format", OptionalObject),
        .. Sampling,
    ];

    private static readonly FieldRule[] Completions =
    [
        new("model", JsonKinds.String, Required: true),
        new("prompt", JsonKinds.String | JsonKinds.Array, Required: true),
        new("logprobs", OptionalInteger, Minimum: 0, Maximum: 5),
        new("echo", OptionalBoolean),
        new("suffix", OptionalString),
        new("best_of", OptionalInteger, Minimum: 1, Maximum: 20),
        .. Sampling,
    ];

    private static readonly FieldRule[] Embeddings =
    [
        new("model", JsonKinds.String, Required: true),
        new("input", JsonKinds.String | JsonKinds.Array, Required: true),
        new("encoding_format", OptionalString),
        new("dimensions", OptionalInteger, Minimum: 1),
        new("user", OptionalString),
    ];

    private static readonly FieldRule[] ImagesGenerations =
    [
        new("prompt", JsonKinds.String, Required: true),
        new("model", OptionalString),
        new("n", OptionalInteger, Minimum: 1, Maximum: 10),
        new("size", OptionalString),
        new("response_format", OptionalString),
        new("quality", OptionalString),
        new("style", OptionalString),
        new("seed", OptionalInteger),
        new("user", OptionalString),
    ];

    /// <summary>The rules of a route kind; empty for routes without a JSON body.</summary>
    public static IReadOnlyList<FieldRule> For(string routeKind) => routeKind switch
    {
        RouteKinds.ChatCompletions => ChatCompletions,
        RouteKinds.Completions => Completions,
        RouteKinds.Embeddings => Embeddings,
        RouteKinds.ImagesGenerations => ImagesGenerations,
        _ => [],
    };
}
