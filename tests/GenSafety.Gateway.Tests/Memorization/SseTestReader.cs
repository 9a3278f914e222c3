using System.Text;
using System.Text.Json;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>What a client made of a streamed chat or completions response.</summary>
internal sealed record SseTestStream(Dictionary<int, string> Texts, Dictionary<int, string?> FinishReasons, string? GensafetyCode, bool Done, string Raw)
{
    public static SseTestStream Parse(string body)
    {
        var texts = new Dictionary<int, StringBuilder>();
        var finish = new Dictionary<int, string?>();
        string? code = null;
        var done = false;
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (!block.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = block["data: ".Length..];
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }

            using var json = JsonDocument.Parse(data);
            if (json.RootElement.TryGetProperty("gensafety", out var gensafety))
            {
                code = gensafety.GetProperty("code").GetString();
            }

            foreach (var choice in json.RootElement.GetProperty("choices").EnumerateArray())
            {
                var index = choice.GetProperty("index").GetInt32();
                var piece = choice.TryGetProperty("text", out var t) ? t.GetString()
                    : choice.TryGetProperty("delta", out var d) && d.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                (texts.TryGetValue(index, out var sb) ? sb : texts[index] = new StringBuilder()).Append(piece);
                if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
                {
                    finish[index] = f.GetString();
                }
            }
        }

        return new SseTestStream(texts.ToDictionary(p => p.Key, p => p.Value.ToString()), finish, code, done, body);
    }
}
