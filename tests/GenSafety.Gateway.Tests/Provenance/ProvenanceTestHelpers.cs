using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>What the provenance tests share: a test master key, gateway arguments, verification calls.</summary>
internal static class ProvenanceTestHelpers
{
    /// <summary>Base64 of 32 bytes 0x00..0x1F; a test secret only.</summary>
    public static readonly string MasterKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    /// <summary>Provenance on, the test master key, <c>lexical</c> for every tenant not configured otherwise, then <paramref name="extra"/>; on the shared Redis under <paramref name="prefix"/> when given.</summary>
    public static string[] Args(SharedRedisFixture? redis, string? prefix, params string[] extra) =>
    [
        "--GenSafety:Watermarking:Enabled=true",
        $"--GenSafety:Watermarking:MasterKey={MasterKey}",
        "--GenSafety:Watermarking:DefaultScheme=lexical",
        .. redis is null ? Array.Empty<string>() : [$"--GenSafety:Redis:ConnectionString={redis.EndPoint}", $"--GenSafety:Redis:KeyPrefix={prefix}"],
        .. extra,
    ];

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A chat request for the reference model; <paramref name="maxTokens"/> tokens, end-of-text banned so outputs are long.</summary>
    public static string Chat(string prompt, int maxTokens, bool stream = false, int seed = 1)
        => JsonSerializer.Serialize(new
        {
            model = "reference-ngram",
            messages = new[] { new { role = "user", content = prompt } },
            max_tokens = maxTokens,
            temperature = 1.0,
            seed,
            stream,
            logit_bias = new Dictionary<string, int> { ["100257"] = -100 },
        });

    /// <summary>Posts to <c>/v1/verify/text</c> and returns the parsed answer (asserting 200).</summary>
    public static async Task<JsonElement> VerifyAsync(HttpClient client, string text, string? receipt = null)
    {
        using var response = await client.PostAsJsonAsync("/v1/verify/text", new { text, receipt });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The evidence entry of <paramref name="method"/>.</summary>
    public static JsonElement Evidence(JsonElement verification, string method)
        => verification.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("method").GetString() == method);

    public static string Verdict(JsonElement verification) => verification.GetProperty("verdict").GetString()!;

    /// <summary>The chat content and the receipt header of a non-streamed response.</summary>
    public static async Task<(string Text, string Receipt)> ChatAsync(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/v1/chat/completions", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var receipt = response.Headers.TryGetValues("x-gensafety-receipt", out var values) ? values.Single() : string.Empty;
        using var json = JsonDocument.Parse(text);
        return (json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!, receipt);
    }
}
