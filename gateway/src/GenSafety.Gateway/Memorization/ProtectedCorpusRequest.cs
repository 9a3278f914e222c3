using System.Text.Json;
using GenSafety.Detectors.Images;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Reads the bodies of <c>POST /admin/protected/text</c> (<c>{"documents":[{"id","text"}]}</c>) and
/// <c>POST /admin/protected/images</c> (<c>{"images":[{"id","image_b64"}]}</c>), saying exactly what is wrong and where
/// (<see cref="ProtectedCorpusRequestException.Param"/>, e.g. <c>documents[2].text</c>).
/// </summary>
internal static class ProtectedCorpusRequest
{
    /// <summary>Longest document or image id.</summary>
    public const int MaxIdLength = 256;

    public static List<ProtectedDocument> ReadDocuments(JsonElement root, MemorizationOptions options)
    {
        var items = Items(root, "documents", options);
        var documents = new List<ProtectedDocument>(items.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"documents[{i}]";
            var id = Id(items[i], at, ids);
            var text = RequiredString(items[i], "text", at);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ProtectedCorpusRequestException($"'{at}.text' is empty.", at + ".text");
            }

            if (text.Length > options.MaxDocumentChars)
            {
                throw new ProtectedCorpusRequestException($"'{at}.text' has {text.Length} characters; the limit is {options.MaxDocumentChars}.", at + ".text");
            }

            documents.Add(new ProtectedDocument(id, text));
        }

        return documents;
    }

    public static List<ProtectedImage> ReadImages(JsonElement root, MemorizationOptions options, int minQuality)
    {
        var items = Items(root, "images", options);
        var images = new List<ProtectedImage>(items.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"images[{i}]";
            var id = Id(items[i], at, ids);
            var encoded = RequiredString(items[i], "image_b64", at);
            var bytes = new byte[encoded.Length * 3 / 4 + 3];
            if (encoded.Length == 0 || !Convert.TryFromBase64String(encoded, bytes, out var length))
            {
                throw new ProtectedCorpusRequestException($"'{at}.image_b64' is not valid base64.", at + ".image_b64");
            }

            PdqResult[] hashes;
            try
            {
                hashes = PdqHasher.HashDihedral(bytes.AsSpan(0, length));
            }
            catch (InvalidDataException)
            {
                throw new ProtectedCorpusRequestException($"'{at}.image_b64' is not a decodable image (PNG, JPEG, WebP, GIF or BMP).", at + ".image_b64");
            }

            if (hashes[0].Quality < minQuality)
            {
                throw new ProtectedCorpusRequestException(
                    $"'{at}' has PDQ quality {hashes[0].Quality}, below {minQuality}: the picture is too flat to be matched reliably.", at + ".image_b64");
            }

            images.Add(new ProtectedImage(id, hashes));
        }

        return images;
    }

    private static List<JsonElement> Items(JsonElement root, string name, MemorizationOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ProtectedCorpusRequestException($"The body must be a JSON object with an array '{name}'.", null);
        }

        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new ProtectedCorpusRequestException($"'{name}' must be an array.", name);
        }

        var count = array.GetArrayLength();
        if (count == 0)
        {
            throw new ProtectedCorpusRequestException($"'{name}' is empty.", name);
        }

        if (count > options.MaxItemsPerRequest)
        {
            throw new ProtectedCorpusRequestException($"'{name}' has {count} entries; at most {options.MaxItemsPerRequest} per request.", name);
        }

        var items = new List<JsonElement>(count);
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ProtectedCorpusRequestException($"'{name}[{i}]' must be an object.", $"{name}[{i}]");
            }

            items.Add(item);
            i++;
        }

        return items;
    }

    private static string Id(JsonElement item, string at, HashSet<string> ids)
    {
        var id = RequiredString(item, "id", at);
        if (id.Length is 0 or > MaxIdLength || string.IsNullOrWhiteSpace(id) || id.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
        {
            throw new ProtectedCorpusRequestException($"'{at}.id' must be 1 to {MaxIdLength} characters without control characters.", at + ".id");
        }

        if (!ids.Add(id))
        {
            throw new ProtectedCorpusRequestException($"'{at}.id' repeats the id '{id}' of an earlier entry.", at + ".id");
        }

        return id;
    }

    private static string RequiredString(JsonElement item, string name, string at)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new ProtectedCorpusRequestException($"'{at}.{name}' must be a string.", $"{at}.{name}");
        }

        return value.GetString()!;
    }
}

/// <summary>A protected-corpus request that cannot be accepted.</summary>
internal sealed class ProtectedCorpusRequestException(string message, string? param) : Exception(message)
{
    /// <summary>Where in the body the problem is.</summary>
    public string? Param { get; } = param;
}
