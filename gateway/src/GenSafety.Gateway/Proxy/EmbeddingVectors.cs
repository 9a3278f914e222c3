using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenSafety.Gateway.Proxy;

/// <summary>Changes one embedding vector in place.</summary>
/// <param name="vector">The vector's components.</param>
internal delegate void VectorRewrite(Span<float> vector);

/// <summary>
/// Rewrites, in place, every <c>data[].embedding</c> of an embeddings response in either encoding (a JSON array of
/// numbers, or OpenAI's <c>encoding_format: "base64"</c>: base64 of little-endian float32 values). Shared by the
/// transforms that change returned embeddings (B4B noise, the tenant rotation).
/// </summary>
internal static class EmbeddingVectors
{
    /// <summary>
    /// Rewrites every embedding; <paramref name="rewritten"/> counts them. Returns <see langword="false"/> when an
    /// embedding is neither a number array nor base64 of whole floats: the caller must not pass such a response on,
    /// since it could not be rewritten.
    /// </summary>
    public static bool TryRewrite(JsonNode? root, VectorRewrite rewrite, out int rewritten)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        rewritten = 0;
        if (root is not JsonObject response || response["data"] is not JsonArray data)
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
                case JsonArray values when TryRewrite(values, rewrite):
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String && TryRewriteBase64(value.GetValue<string>(), rewrite, out var changed):
                    entry["embedding"] = changed;
                    break;
                default:
                    return false;
            }

            rewritten++;
        }

        return true;
    }

    /// <summary>
    /// Rewrites an embedding in base64 form. Returns <see langword="false"/> when <paramref name="base64"/> is not
    /// base64 of a whole number of floats.
    /// </summary>
    public static bool TryRewriteBase64(string base64, VectorRewrite rewrite, out string rewritten)
    {
        ArgumentNullException.ThrowIfNull(base64);
        ArgumentNullException.ThrowIfNull(rewrite);
        rewritten = base64;
        var buffer = ArrayPool<byte>.Shared.Rent((base64.Length / 4 * 3) + 3);
        var floats = ArrayPool<float>.Shared.Rent((base64.Length / 4 * 3 / sizeof(float)) + 1);
        try
        {
            if (!Convert.TryFromBase64String(base64, buffer, out var length) || length % sizeof(float) != 0)
            {
                return false;
            }

            var vector = floats.AsSpan(0, length / sizeof(float));
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(i * sizeof(float)));
            }

            rewrite(vector);
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), vector[i]);
            }

            rewritten = Convert.ToBase64String(buffer.AsSpan(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    private static bool TryRewrite(JsonArray values, VectorRewrite rewrite)
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

            rewrite(vector);
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
