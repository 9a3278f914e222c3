using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary><c>/admin/protected*</c> on a real gateway with in-memory state.</summary>
public sealed class ProtectedCorpusEndpointsTests
{
    private static async Task<(ScriptedUpstream, GatewayHost)> StartAsync(params string[] args)
    {
        var upstream = await ScriptedUpstream.StartModelListAsync();
        return (upstream, await GatewayHost.StartAsync(upstream.Url, [.. GatewayArgs, .. args]));
    }

    [Fact]
    public async Task AddText_CountsDocuments_SameIdAgainIsSkipped()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;

        var first = await ProtectAsync(gateway, ("book-1", Document(1, 2000)), ("book-2", Document(2, 1000)));
        var again = await ProtectAsync(gateway, ("book-1", Document(3, 2000)));
        var corpus = await CorpusAsync(gateway);

        Assert.Equal(["book-1", "book-2"], first.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.True(first.GetProperty("ngrams").GetInt64() >= 55);
        Assert.Empty(again.GetProperty("added").EnumerateArray());
        Assert.Equal(["book-1"], again.GetProperty("skipped").EnumerateArray().Select(e => e.GetString()));
        var text = corpus.GetProperty("text");
        Assert.Equal(2, text.GetProperty("documents").GetInt32());
        Assert.Equal(first.GetProperty("ngrams").GetInt64(), text.GetProperty("ngrams").GetInt64());
        Assert.Equal(2, text.GetProperty("version").GetInt64());
        Assert.True(text.GetProperty("bytes").GetInt64() > 1_000_000, "the Bloom filter is sized for a million n-grams");
        Assert.Equal(150, corpus.GetProperty("threshold_chars").GetInt32());
    }

    [Fact]
    public async Task AddImages_CountsImages_SameIdAgainIsSkipped()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;

        var response = await gateway.Admin.PostAsJsonAsync("/admin/protected/images",
            new { images = new[] { new { id = "art-1", image_b64 = Convert.ToBase64String(Picture(1)) }, new { id = "art-2", image_b64 = Convert.ToBase64String(Picture(2)) } } });
        var again = await gateway.Admin.PostAsJsonAsync("/admin/protected/images",
            new { images = new[] { new { id = "art-1", image_b64 = Convert.ToBase64String(Picture(3)) } } });
        var corpus = await CorpusAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"skipped\":[\"art-1\"]", await again.Content.ReadAsStringAsync());
        Assert.Equal(2, corpus.GetProperty("images").GetProperty("count").GetInt32());
        Assert.Equal(31, corpus.GetProperty("images").GetProperty("max_hamming_distance").GetInt32());
    }

    public static TheoryData<string, string, string?> BadTextBodies => new()
    {
        { "{\"documents\":[{\"id\":\"a\",\"text\":\"x\"}", "not valid JSON", null },
        { "[1,2]", "must be a JSON object", null },
        { "{}", "'documents' must be an array", "documents" },
        { "{\"documents\":{\"id\":\"a\"}}", "'documents' must be an array", "documents" },
        { "{\"documents\":[]}", "'documents' is empty", "documents" },
        { "{\"documents\":[\"text\"]}", "must be an object", "documents[0]" },
        { "{\"documents\":[{\"id\":5,\"text\":\"x\"}]}", "must be a string", "documents[0].id" },
        { "{\"documents\":[{\"id\":\"a\"}]}", "must be a string", "documents[0].text" },
        { "{\"documents\":[{\"id\":\"a\",\"text\":\"   \"}]}", "is empty", "documents[0].text" },
        { "{\"documents\":[{\"id\":\"\",\"text\":\"x\"}]}", "1 to 256 characters", "documents[0].id" },
        { "{\"documents\":[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"a\",\"text\":\"y\"}]}", "repeats the id", "documents[1].id" },
        { "{\"documents\":[{\"id\":\"a\",\"text\":\"" + new string('w', 5000) + "\"}]}", "the limit is 4000", "documents[0].text" },
    };

    [Theory]
    [MemberData(nameof(BadTextBodies))]
    public async Task AddText_BadInput_400NamingTheField(string body, string message, string? param)
    {
        var (upstream, gateway) = await StartAsync("--GenSafety:Memorization:MaxDocumentChars=4000");
        await using var _ = upstream;
        await using var __ = gateway;

        var response = await gateway.Admin.PostAsync("/admin/protected/text", new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(message, error.GetProperty("message").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(0, (await CorpusAsync(gateway)).GetProperty("text").GetProperty("documents").GetInt32());
    }

    public static TheoryData<string, string, string?> BadImageBodies => new()
    {
        { "{\"images\":[{\"id\":\"a\",\"image_b64\":\"not base64!\"}]}", "not valid base64", "images[0].image_b64" },
        { "{\"images\":[{\"id\":\"a\",\"image_b64\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("GIF89a but not really an image at all")) + "\"}]}", "not a decodable image", "images[0].image_b64" },
        { "{\"images\":[{\"id\":\"a\",\"image_b64\":\"" + Convert.ToBase64String(FlatPicture()) + "\"}]}", "too flat", "images[0].image_b64" },
        { "{\"images\":[{\"id\":\"a\",\"image_b64\":7}]}", "must be a string", "images[0].image_b64" },
        { "{\"images\":[{\"id\":\"a\",\"image_b64\":\"\"}]}", "not valid base64", "images[0].image_b64" },
        { "{\"images\":[]}", "'images' is empty", "images" },
    };

    [Theory]
    [MemberData(nameof(BadImageBodies))]
    public async Task AddImages_BadInput_400NamingTheField(string body, string message, string? param)
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;

        var response = await gateway.Admin.PostAsync("/admin/protected/images", new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(message, error.GetProperty("message").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Add_BodyOverTheCap_413_InvalidUtf8_400_NoToken_401()
    {
        var (upstream, gateway) = await StartAsync("--GenSafety:Memorization:MaxAdminBodyBytes=2048");
        await using var _ = upstream;
        await using var __ = gateway;

        var huge = await gateway.Admin.PostAsync("/admin/protected/text",
            new StringContent("{\"documents\":[{\"id\":\"a\",\"text\":\"" + new string('w', 4000) + "\"}]}", Encoding.UTF8, "application/json"));
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"documents\":[{\"id\":\"a\",\"text\":\"" + new string('w', 4000) + "\"}]}")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/protected/text") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var hugeChunked = await gateway.Admin.SendAsync(request);
        var invalid = await gateway.Admin.PostAsync("/admin/protected/text", new ByteArrayContent([0x7b, 0xff, 0xfe, 0x7d]));
        using var anonymous = new HttpClient { BaseAddress = new Uri(gateway.AdminUrl) };
        var noToken = await anonymous.PostAsJsonAsync("/admin/protected/text", new { documents = new[] { new { id = "a", text = "x" } } });
        var noTokenGet = await anonymous.GetAsync("/admin/protected");

        await ErrorAssert.IsOpenAIErrorAsync(huge, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        await ErrorAssert.IsOpenAIErrorAsync(hugeChunked, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        await ErrorAssert.IsOpenAIErrorAsync(invalid, HttpStatusCode.BadRequest, "invalid_request");
        await ErrorAssert.IsOpenAIErrorAsync(noToken, HttpStatusCode.Unauthorized, "invalid_admin_token");
        await ErrorAssert.IsOpenAIErrorAsync(noTokenGet, HttpStatusCode.Unauthorized, "invalid_admin_token");
    }

    [Fact]
    public async Task Endpoints_NotOnThePublicListener()
    {
        var (upstream, gateway) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var client = new HttpClient { BaseAddress = new Uri(gateway.PublicUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.AdminToken);

        var response = await client.GetAsync("/admin/protected");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
