using System.Text.Json.Nodes;
using GenSafety.Gateway.Proxy;

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
        if (sigma <= 0)
        {
            return true;
        }

        var ok = EmbeddingVectors.TryRewrite(root, vector => B4BNoise.AddTo(vector, sigma, random), out var noised);
        edits = noised > 0 ? DegradeEdits.EmbeddingsNoised : DegradeEdits.None;
        return ok;
    }
}
