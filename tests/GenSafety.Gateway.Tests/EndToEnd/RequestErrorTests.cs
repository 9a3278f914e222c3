using System.Net;
using System.Text;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.EndToEnd;

/// <summary>Bad input from clients gets a clear OpenAI-shaped error and never reaches the upstream.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class RequestErrorTests
{
    private readonly GatewayFixture _fixture;

    public RequestErrorTests(GatewayFixture fixture) => _fixture = fixture;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Request_MissingKey_Returns401InvalidApiKey()
    {
        var response = await _fixture.Gateway.Public.PostAsync("/v1/chat/completions", Json("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Theory]
    [InlineData("gsk_unknown_secret")]
    [InlineData("not-a-gateway-key")]
    public async Task Request_UnknownKey_Returns401InvalidApiKey(string key)
    {
        using var client = _fixture.Gateway.PublicWithKey(key);

        var response = await client.GetAsync("/v1/models");

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Request_RightKeyIdWrongSecret_Returns401()
    {
        var parts = _fixture.ClientKey.Split('_');
        using var client = _fixture.Gateway.PublicWithKey($"{parts[0]}_{parts[1]}_forged");

        var response = await client.GetAsync("/v1/models");

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Theory]
    [InlineData("{\"model\":\"m\",\"messages\":[")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("{\"model\":\"m\",}")]
    public async Task ChatCompletions_MalformedJson_Returns400(string body)
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);

        var response = await client.PostAsync("/v1/chat/completions", Json(body));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task ChatCompletions_InvalidUtf8_Returns400()
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);
        var bytes = Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"X"}]}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xC3; // a lead byte with no continuation
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        var response = await client.PostAsync("/v1/chat/completions", content);

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"m","messages":"hello"}""", "messages")]
    [InlineData("/v1/chat/completions", """{"model":5,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature")]
    [InlineData("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":1.5}""", "max_tokens")]
    [InlineData("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    [InlineData("/v1/chat/completions", """{"model":"m","messages":[{"role":"user","content":"hi"}],"top_logprobs":50}""", "top_logprobs")]
    [InlineData("/v1/chat/completions", """{"model":"m","messages":[{"content":"hi"}]}""", "messages[0].role")]
    [InlineData("/v1/chat/completions", """{"model":"m","messages":[]}""", "messages")]
    [InlineData("/v1/chat/completions", """{"model":"m"}""", "messages")]
    [InlineData("/v1/chat/completions", """[1,2,3]""", null)]
    [InlineData("/v1/completions", """{"model":"m","prompt":{"a":1}}""", "prompt")]
    [InlineData("/v1/completions", """{"model":"m","prompt":"x","logprobs":true}""", "logprobs")]
    [InlineData("/v1/embeddings", """{"model":"m","input":42}""", "input")]
    [InlineData("/v1/embeddings", """{"model":"m","input":[]}""", "input")]
    [InlineData("/v1/images/generations", """{"prompt":["a"]}""", "prompt")]
    [InlineData("/v1/images/generations", """{"prompt":"a","n":0}""", "n")]
    public async Task Post_WrongFieldTypes_Returns400WithParam(string path, string body, string? param)
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);

        var response = await client.PostAsync(path, Json(body));

        var error = await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Post_BodyOverCap_Returns413()
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);
        var huge = new string('a', 5 * 1024 * 1024);

        var response = await client.PostAsync("/v1/embeddings", Json($$"""{"model":"m","input":"{{huge}}"}"""));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task Post_ChunkedBodyOverCap_Returns413()
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);
        var huge = Encoding.UTF8.GetBytes($$"""{"model":"m","input":"{{new string('a', 5 * 1024 * 1024)}}"}""");
        var content = new StreamContent(new MemoryStream(huge)); // no Content-Length: sent chunked
        content.Headers.ContentType = new("application/json");

        var response = await client.PostAsync("/v1/embeddings", content);

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task Post_WrongContentType_Returns415()
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);

        var response = await client.PostAsync("/v1/chat/completions", new StringContent("model=m", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "invalid_request");
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here")]
    [InlineData("GET", "/admin/clients/x")]
    [InlineData("GET", "/metrics")]
    public async Task PublicListener_UnknownOrAdminRoute_Returns404(string method, string path)
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AdminListener_ProxyRoute_Returns404()
    {
        var response = await _fixture.Gateway.Admin.GetAsync("/v1/models");

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ChatCompletions_WrongMethod_Returns405()
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);

        var response = await client.GetAsync("/v1/chat/completions");

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request");
    }

    [Fact]
    public async Task Response_CarriesRequestIdAndOverheadHeaders()
    {
        using var client = _fixture.Gateway.PublicWithKey(_fixture.ClientKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("x-request-id", "my-request-1");

        var response = await client.SendAsync(request);

        response.EnsureSuccessStatusCode();
        Assert.Equal("my-request-1", response.Headers.GetValues("x-request-id").Single());
        var overhead = double.Parse(response.Headers.GetValues("x-gensafety-overhead-ms").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(overhead, 0, 10_000);
    }
}
