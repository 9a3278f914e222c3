using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// Adds B4B noise, in place, to every <c>data[].embedding</c> of an embeddings response, in either encoding
/// (a JSON array of numbers, or base64 of little-endian float32 values).
/// </summary>
internal static class EmbeddingNoiser
{
    /// <summary>
    /// Noises every embedding. Returns <see langword="false"/> when an embedding is neither a number array nor valid
    /// base64 floats: the caller must not pass such a response on, since it could not be degraded.
    /// </summary>
    public static bool TryApply(JsonNode? root, double sigma, Random random, out DegradeEdits edits)
    {
        edits = DegradeEdits.None;
        if (sigma <= 0 || root is not JsonObject response || response["data"] is not JsonArray data)
        {
            return true;
        }

        foreach (var item in data)
        {
            if (item is not JsonObject entry || !entry.ContainsKey("embedding"))
            {
                continue;
            }

            switch (entry["embedding"])
            {
                case JsonArray values when TryNoise(values, sigma, random):
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String
                    && B4BNoise.TryAddToBase64(value.GetValue<string>(), sigma, random, out var noisy):
                    entry["embedding"] = noisy;
                    break;
                default:
                    return false;
            }

            edits = DegradeEdits.EmbeddingsNoised;
        }

        return true;
    }

    private static bool TryNoise(JsonArray values, double sigma, Random random)
    {
        var buffer = ArrayPool<float>.Shared.Rent(values.Count);
        try
        {
            var vector = buffer.AsSpan(0, values.Count);
            for (var i = 0; i < vector.Length; i++)
            {
                if (values[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue(out double number))
                {
                    return false;
                }

                vector[i] = (float)number;
            }

            B4BNoise.AddTo(vector, sigma, random);
            for (var i = 0; i < vector.Length; i++)
            {
                values[i] = vector[i];
            }

            return true;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
