using System.Text.Json;

namespace GenSafety.Gateway.Provenance;

/// <summary>The body of <c>POST /v1/verify/image</c>: <c>{"image_b64": "...", "receipt": "..."?}</c>.</summary>
/// <param name="Image">The decoded image bytes (PNG, JPEG or WebP).</param>
/// <param name="Receipt">A receipt the image came with, if any.</param>
#pragma warning disable CA1819 // Encoded image bytes, owned by the request.
internal sealed record VerifyImageRequest(byte[] Image, string? Receipt)
#pragma warning restore CA1819
{
    /// <summary>Reads the body; returns null with <paramref name="error"/> and <paramref name="param"/> naming the problem.</summary>
    public static VerifyImageRequest? Read(JsonElement root, int maxBytes, out string? error, out string? param)
    {
        error = null;
        param = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "The body must be a JSON object {\"image_b64\": \"...\", \"receipt\": \"...\"}.";
            return null;
        }

        if (!root.TryGetProperty("image_b64"u8, out var b64) || b64.ValueKind != JsonValueKind.String || b64.GetString() is not { Length: > 0 } text)
        {
            (error, param) = ("'image_b64' is required and must be a non-empty base64 string.", "image_b64");
            return null;
        }

        // A data URL prefix is what browsers produce; accept it rather than make every client strip it.
        var comma = text.StartsWith("data:", StringComparison.Ordinal) ? text.IndexOf(',', StringComparison.Ordinal) : -1;
        var payload = comma >= 0 ? text.AsSpan(comma + 1) : text.AsSpan();
        if ((long)payload.Length * 3 / 4 > maxBytes)
        {
            (error, param) = ($"'image_b64' decodes to more than {maxBytes} bytes.", "image_b64");
            return null;
        }

        var bytes = new byte[(payload.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(payload, bytes, out var length) || length == 0)
        {
            (error, param) = ("'image_b64' is not valid base64.", "image_b64");
            return null;
        }

        string? receipt = null;
        if (root.TryGetProperty("receipt"u8, out var r) && r.ValueKind != JsonValueKind.Null)
        {
            if (r.ValueKind != JsonValueKind.String)
            {
                (error, param) = ("'receipt' must be a string (the x-gensafety-receipt value).", "receipt");
                return null;
            }

            receipt = r.GetString();
        }

        return new VerifyImageRequest(bytes[..length], receipt);
    }
}
