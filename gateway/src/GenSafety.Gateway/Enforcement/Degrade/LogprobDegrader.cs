using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// Quantizes returned logprobs and cuts top-logprob lists, in place, in a chat completion or completion (whole
/// response or stream chunk: both keep logprobs under <c>choices[].logprobs</c>).
/// </summary>
internal static class LogprobDegrader
{
    // Chat keeps the sampled tokens' logprobs in "content" and, for a refusal, in "refusal"; both leak the same.
    private static readonly string[] ChatTokenLists = ["content", "refusal"];

    public static DegradeEdits Apply(JsonNode? root, string routeKind, int maxTopLogprobs, double quantum)
    {
        if (routeKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions)
            || root is not JsonObject response || response["choices"] is not JsonArray choices)
        {
            return DegradeEdits.None;
        }

        var edits = DegradeEdits.None;
        foreach (var choice in choices)
        {
            if (choice is JsonObject choiceObject && choiceObject["logprobs"] is JsonObject logprobs)
            {
                edits |= routeKind == RouteKinds.ChatCompletions
                    ? ApplyChat(logprobs, maxTopLogprobs, quantum)
                    : ApplyCompletion(logprobs, maxTopLogprobs, quantum);
            }
        }

        return edits;
    }

    /// <summary>Rounds <paramref name="logprob"/> to the nearest multiple of <paramref name="quantum"/>, never above 0.</summary>
    public static double Quantize(double logprob, double quantum)
    {
        if (!double.IsFinite(logprob))
        {
            return logprob;
        }

        // Rounding the product to 9 decimals removes binary noise such as 3 × 0.1 = 0.30000000000000004.
        var rounded = Math.Round(Math.Round(logprob / quantum, MidpointRounding.AwayFromZero) * quantum, 9);
        return rounded >= 0 ? 0 : rounded;
    }

    // {"content":[{"token","logprob","bytes","top_logprobs":[{"token","logprob","bytes"}]}], "refusal": [...]}
    private static DegradeEdits ApplyChat(JsonObject logprobs, int maxTopLogprobs, double quantum)
    {
        var edits = DegradeEdits.None;
        foreach (var listName in ChatTokenLists)
        {
            if (logprobs[listName] is not JsonArray tokens)
            {
                continue;
            }

            foreach (var token in tokens)
            {
                if (token is not JsonObject tokenObject)
                {
                    continue;
                }

                edits |= QuantizeMember(tokenObject, quantum);
                if (tokenObject["top_logprobs"] is JsonArray alternatives)
                {
                    edits |= KeepMostLikely(alternatives, maxTopLogprobs);
                    foreach (var alternative in alternatives)
                    {
                        if (alternative is JsonObject alternativeObject)
                        {
                            edits |= QuantizeMember(alternativeObject, quantum);
                        }
                    }
                }
            }
        }

        return edits;
    }

    // {"tokens":[...],"token_logprobs":[-0.1, null, ...],"top_logprobs":[{"tok":-0.1,...}, null, ...],"text_offset":[...]}
    private static DegradeEdits ApplyCompletion(JsonObject logprobs, int maxTopLogprobs, double quantum)
    {
        var edits = DegradeEdits.None;
        if (logprobs["token_logprobs"] is JsonArray tokenLogprobs)
        {
            for (var i = 0; i < tokenLogprobs.Count; i++)
            {
                if (TryGetNumber(tokenLogprobs[i], out var value))
                {
                    tokenLogprobs[i] = Quantize(value, quantum);
                    edits |= DegradeEdits.LogprobsQuantized;
                }
            }
        }

        if (logprobs["top_logprobs"] is JsonArray positions)
        {
            for (var i = 0; i < positions.Count; i++)
            {
                if (positions[i] is JsonObject { Count: > 0 } alternatives)
                {
                    if (alternatives.Count > maxTopLogprobs)
                    {
                        edits |= DegradeEdits.TopLogprobsTruncated;
                    }

                    positions[i] = RebuildAlternatives(alternatives, maxTopLogprobs, quantum);
                    edits |= DegradeEdits.LogprobsQuantized;
                }
            }
        }

        return edits;
    }

    private static DegradeEdits QuantizeMember(JsonObject owner, double quantum)
    {
        if (!TryGetNumber(owner["logprob"], out var value))
        {
            return DegradeEdits.None;
        }

        owner["logprob"] = Quantize(value, quantum);
        return DegradeEdits.LogprobsQuantized;
    }

    // Removes all but the maxCount most likely entries of a chat top_logprobs list, keeping their order.
    private static DegradeEdits KeepMostLikely(JsonArray alternatives, int maxCount)
    {
        if (alternatives.Count <= maxCount)
        {
            return DegradeEdits.None;
        }

        var values = new double[alternatives.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = alternatives[i] is JsonObject alternative && TryGetNumber(alternative["logprob"], out var value) ? value : double.NegativeInfinity;
        }

        var keep = MostLikely(values, maxCount);
        for (var i = values.Length - 1; i >= 0; i--)
        {
            if (!keep[i])
            {
                alternatives.RemoveAt(i);
            }
        }

        return DegradeEdits.TopLogprobsTruncated;
    }

    // A completions top_logprobs entry is a {token: logprob} map: rebuilt with the most likely entries, quantized.
    private static JsonObject RebuildAlternatives(JsonObject alternatives, int maxCount, double quantum)
    {
        var entries = new KeyValuePair<string, JsonNode?>[alternatives.Count];
        var values = new double[entries.Length];
        var index = 0;
        foreach (var entry in alternatives)
        {
            entries[index] = entry;
            values[index] = TryGetNumber(entry.Value, out var value) ? value : double.NegativeInfinity;
            index++;
        }

        var keep = MostLikely(values, maxCount);
        var rebuilt = new JsonObject();
        for (var i = 0; i < entries.Length; i++)
        {
            if (keep[i])
            {
                rebuilt[entries[i].Key] = double.IsFinite(values[i]) ? Quantize(values[i], quantum) : entries[i].Value?.DeepClone();
            }
        }

        return rebuilt;
    }

    // Marks the maxCount largest values (earlier entries win ties).
    private static bool[] MostLikely(double[] values, int maxCount)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        var keep = new bool[values.Length];
        for (var i = 0; i < Math.Min(maxCount, order.Length); i++)
        {
            keep[order[i]] = true;
        }

        return keep;
    }

    private static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue jsonValue && jsonValue.GetValueKind() == JsonValueKind.Number && jsonValue.TryGetValue(out value);
    }
}
