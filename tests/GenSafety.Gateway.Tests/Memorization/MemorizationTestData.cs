using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using SkiaSharp;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>Seeded protected documents, style variants of them, test pictures, and gateway arguments for the guard.</summary>
internal static class MemorizationTestData
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not", "he", "this",
        "river", "garden", "window", "morning", "letter", "silver", "harbour", "quiet", "winter", "journey", "promise", "lantern",
        "forest", "village", "stone", "bridge", "season", "candle", "mountain", "whisper", "ancient", "market", "shadow", "library",
    ];

    /// <summary>A gateway with detection off (its repeated test prompts would look like extraction) and no admission limits in the way.</summary>
    public static readonly string[] GatewayArgs = ["--GenSafety:Detection:Enabled=false"];

    /// <summary>English-like prose of at least <paramref name="chars"/> characters.</summary>
    public static string Document(int seed, int chars)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        var sentence = 0;
        while (text.Length < chars)
        {
            var word = Words[random.Next(Words.Length)];
            text.Append(sentence == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            sentence++;
            text.Append(sentence > 6 && random.Next(8) == 0 ? ". " : " ");
            sentence = text[^2] == '.' ? 0 : sentence;
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Style transfers an extraction attack uses against an exact filter.</summary>
    public static string Variant(string kind, string text) => kind switch
    {
        "verbatim" => text,
        "upper" => text.ToUpperInvariant(),
        "spacing" => text.Replace(" ", "   ").Replace(". ", ".\n\n"),
        "homoglyphs" => text.Replace('a', '\u0430').Replace('e', '\u0435').Replace('o', '\u03BF').Replace('p', '\u0440').Replace('c', '\u0441'),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A busy seeded picture as PNG (PDQ quality well above 50).</summary>
    public static byte[] Picture(int seed, int width = 320, int height = 256)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true })
        {
            canvas.Clear(Color(random));
            for (var i = 0; i < 30; i++)
            {
                paint.Color = Color(random);
                canvas.DrawCircle(random.Next(width), random.Next(height), 10 + random.Next(width / 4), paint);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A one-colour PNG (PDQ quality 0).</summary>
    public static byte[] FlatPicture()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(128, 128, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(new SKColor(120, 130, 140));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Adds protected documents through the admin API.</summary>
    public static async Task<JsonElement> ProtectAsync(GatewayHost gateway, params (string Id, string Text)[] documents)
    {
        var response = await gateway.Admin.PostAsJsonAsync("/admin/protected/text", new { documents = documents.Select(d => new { id = d.Id, text = d.Text }) });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    /// <summary>The admin view of the corpora.</summary>
    public static async Task<JsonElement> CorpusAsync(GatewayHost gateway)
    {
        using var json = JsonDocument.Parse(await gateway.Admin.GetStringAsync("/admin/protected"));
        return json.RootElement.Clone();
    }

    private static SKColor Color(Random random) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));

    /// <summary>Longest stretch of <paramref name="text"/> that occurs verbatim in <paramref name="haystack"/> (binary search on the length; monotone).</summary>
    public static int LongestVerbatimSpan(string text, string haystack)
    {
        int low = 0, high = text.Length;
        while (low < high)
        {
            var length = (low + high + 1) / 2;
            var found = false;
            for (var start = 0; start + length <= text.Length && !found; start++)
            {
                found = haystack.Contains(text.AsSpan(start, length), StringComparison.Ordinal);
            }

            (low, high) = found ? (length, high) : (low, length - 1);
        }

        return low;
    }

    /// <summary>
    /// Whether the client's enforcement reasons hold a <c>memorization</c> reason starting with <paramref name="reasonStart"/>,
    /// polling <paramref name="attempts"/> times 50 ms apart (the signals are written in the background).
    /// </summary>
    public static async Task<bool> HasMemorizationReasonAsync(GatewayHost gateway, string id, string reasonStart, int attempts)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            using var json = JsonDocument.Parse(await gateway.Admin.GetStringAsync($"/admin/clients/{id}"));
            if (json.RootElement.GetProperty("enforcement").GetProperty("reasons").EnumerateArray()
                .Any(r => r.GetProperty("source").GetString() == "memorization" && r.GetProperty("reason").GetString()!.StartsWith(reasonStart, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
