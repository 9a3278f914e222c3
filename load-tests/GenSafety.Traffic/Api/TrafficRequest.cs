using System.Globalization;
using System.Text.Json.Nodes;

namespace GenSafety.Traffic.Api;

/// <summary>
/// One request an actor wants sent. The body has every field but <c>model</c>, which the transport adds for the
/// route (so personas and attacks never name a model). <see cref="PromptText"/> is only hashed for the record.
/// </summary>
public sealed class TrafficRequest
{
    /// <summary>The route.</summary>
    public required TrafficRoute Route { get; init; }

    /// <summary>What this request is within its persona or attack (<c>chat-turn</c>, <c>a1-sweep</c>, …).</summary>
    public required string Kind { get; init; }

    /// <summary>The JSON body without <c>model</c>.</summary>
    public required JsonObject Body { get; init; }

    /// <summary>The prompt as text (messages or inputs joined); never written anywhere, only hashed and measured.</summary>
    public required string PromptText { get; init; }

    /// <summary>True for the benign-looking requests an adaptive attacker interleaves with its attack.</summary>
    public bool Cover { get; init; }

    /// <summary>Attacker bookkeeping that comes back with the response (which cell of the sweep, which bisection).</summary>
    public object? Tag { get; init; }

    /// <summary>
    /// A chat request: one message per (role, content), then the fields of <paramref name="parameters"/> (sampling and
    /// API-surface fields), which are moved out of it into the body.
    /// </summary>
    public static TrafficRequest Chat(string kind, IReadOnlyList<(string Role, string Content)> messages, JsonObject parameters, object? tag = null, bool cover = false)
    {
        var array = new JsonArray();
        foreach (var (role, content) in messages)
        {
            array.Add(new JsonObject { ["role"] = role, ["content"] = content });
        }

        var body = new JsonObject { ["messages"] = array };
        foreach (var (name, value) in parameters.ToList())
        {
            parameters.Remove(name);
            body[name] = value;
        }

        return new TrafficRequest
        {
            Route = TrafficRoute.ChatCompletions,
            Kind = kind,
            Body = body,
            PromptText = string.Join("\n\n", messages.Select(m => m.Content)),
            Tag = tag,
            Cover = cover,
        };
    }

    /// <summary>A single-user-message chat request.</summary>
    public static TrafficRequest UserChat(string kind, string prompt, JsonObject parameters, object? tag = null, bool cover = false) =>
        Chat(kind, [("user", prompt)], parameters, tag, cover);

    /// <summary>An embeddings request for <paramref name="inputs"/> (a string when there is one input, else an array).</summary>
    public static TrafficRequest Embeddings(string kind, IReadOnlyList<string> inputs, object? tag = null, bool cover = false)
    {
        JsonNode input = inputs.Count == 1 ? JsonValue.Create(inputs[0]) : new JsonArray([.. inputs.Select(i => (JsonNode?)JsonValue.Create(i))]);
        return new TrafficRequest
        {
            Route = TrafficRoute.Embeddings,
            Kind = kind,
            Body = new JsonObject { ["input"] = input, ["encoding_format"] = "float" },
            PromptText = string.Join("\n", inputs),
            Tag = tag,
            Cover = cover,
        };
    }

    /// <summary>A <c>logit_bias</c> object (token id → bias) as the API takes it.</summary>
    public static JsonObject LogitBias(IEnumerable<KeyValuePair<int, double>> biases)
    {
        var bias = new JsonObject();
        foreach (var (token, value) in biases)
        {
            bias[token.ToString(CultureInfo.InvariantCulture)] = value;
        }

        return bias;
    }
}
