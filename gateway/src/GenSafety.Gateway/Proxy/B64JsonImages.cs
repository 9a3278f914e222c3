using System.Text.Json.Nodes;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// The images of an <c>/v1/images/generations</c> response body (<c>{"data":[{"b64_json"|"url", ...}]}</c>), for the
/// response transforms that check or rewrite them.
/// </summary>
internal static class B64JsonImages
{
    /// <summary>
    /// Every object of <c>data</c>, in order, with its <c>b64_json</c> text, or null when the item carries none (an image
    /// returned as a <c>url</c>). Nothing when the body has no <c>data</c> array. Items may be changed while iterating.
    /// </summary>
    public static IEnumerable<(int Index, JsonObject Item, string? Base64)> Items(JsonNode? body)
    {
        if (body is not JsonObject root || root["data"] is not JsonArray data)
        {
            yield break;
        }

        for (var i = 0; i < data.Count; i++)
        {
            if (data[i] is not JsonObject item)
            {
                continue;
            }

            var b64 = item["b64_json"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            yield return (i, item, b64);
        }
    }

    /// <summary>Decodes an item's base64 text; false when it is not valid base64.</summary>
    public static bool TryDecode(string b64, out byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(b64);
        bytes = new byte[(b64.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(b64, bytes, out var length))
        {
            bytes = [];
            return false;
        }

        bytes = bytes[..length];
        return true;
    }
}
