using System.Net;
using System.Text;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;

namespace GenSafety.Gateway.Tests.EndToEnd;

/// <summary>Whatever the upstream does (nothing, too slowly, garbage), the client gets a clear OpenAI-shaped answer.</summary>
public sealed class UpstreamFailureTests
{
    private const string Chat = """{"model":"reference-ngram","messages":[{"role":"user","content":"Tell me about the sea"}],"max_tokens":8}""";
    private const string StreamingChat = """{"model":"reference-ngram","messages":[{"role":"user","content":"Tell me about the sea"}],"max_tokens":400,"stream":true}""";

    // <|endoftext|> banned (OpenAI logit_bias semantics): the model cannot stop early, so the paced stream is long.
    private const string EndlessStreamingChat = """{"model":"reference-ngram","messages":[{"role":"user","content":"Tell me about the sea"}],"max_tokens":400,"stream":true,"logit_bias":{"100257":-100}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Request_UpstreamDown_Returns502UpstreamUnavailable()
    {
        await using var gateway = await GatewayHost.StartAsync($"http://127.0.0.1:{FreePort.Next()}");
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Json(Chat));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadGateway, "upstream_unavailable");
    }

    [Fact]
    public async Task Request_UpstreamSlowerThanTimeout_Returns504UpstreamTimeout()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, ["--ReverseProxy:Clusters:upstream:HttpRequest:ActivityTimeout=00:00:00.500"]);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(Chat) };
        request.Headers.Add("x-reference-delay-ms", "3000");

        var response = await client.SendAsync(request);

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
    }

    [Fact]
    public async Task Stream_ClientDisconnectsMidStream_UpstreamRequestIsCancelled()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url);
        var key = await gateway.CreateClientKeyAsync();
        // No draining on dispose: the client really hangs up, as a browser tab being closed does.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(gateway.PublicUrl) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var cancelledBefore = model.Activity.RequestsCancelled;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(EndlessStreamingChat) })
        {
            request.Headers.Add("x-reference-token-delay-ms", "50");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            var line = await reader.ReadLineAsync();
            Assert.StartsWith("data: ", line);
        } // disposing the response mid-stream closes the client connection

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (model.Activity.RequestsCancelled == cancelledBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(model.Activity.RequestsCancelled > cancelledBefore, "the reference model never saw its request cancelled");
    }

    [Fact]
    public async Task Stream_UpstreamSendsGarbage_EndsCleanlyWithErrorEvent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
            await context.Response.WriteAsync("data: <<<this is not json>>>\n\n");
            await context.Response.WriteAsync("data: {\"never\":\"forwarded\"}\n\n");
        });
        await using var gateway = await GatewayHost.StartAsync(upstream.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Json(StreamingChat));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Hi\"", body);
        Assert.Contains("\"error\"", body);
        Assert.Contains("upstream_invalid_response", body);
        Assert.DoesNotContain("never", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task Stream_UpstreamClosesWithoutDone_EndsWithErrorEvent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
        });
        await using var gateway = await GatewayHost.StartAsync(upstream.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var body = await (await client.PostAsync("/v1/chat/completions", Json(StreamingChat))).Content.ReadAsStringAsync();

        Assert.Contains("\"error\"", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task Stream_UpstreamGoesSilent_EndsWithUpstreamTimeoutAfterIdleTimeout()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        });
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, ["--GenSafety:Proxy:StreamIdleTimeout=00:00:00.400"]);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var body = await (await client.PostAsync("/v1/chat/completions", Json(StreamingChat))).Content.ReadAsStringAsync();

        Assert.Contains("\"Hi\"", body);
        Assert.Contains("upstream_timeout", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(200, "application/json", "{\"truncated\": ", HttpStatusCode.BadGateway, "upstream_invalid_response")]
    [InlineData(200, "application/json", "<html>oops</html>", HttpStatusCode.BadGateway, "upstream_invalid_response")]
    [InlineData(500, "text/html", "<html>Internal Server Error</html>", HttpStatusCode.InternalServerError, "upstream_error")]
    [InlineData(503, "application/json", "", HttpStatusCode.ServiceUnavailable, "upstream_error")]
    public async Task Request_UpstreamSendsGarbage_ReturnsOpenAIError(int status, string contentType, string body, HttpStatusCode expected, string code)
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(body, status, contentType);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Json(Chat));

        await ErrorAssert.IsOpenAIErrorAsync(response, expected, code);
    }

    [Fact]
    public async Task Request_UpstreamNoContent_PassesThrough()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(string.Empty, 204);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Request_UpstreamOpenAIError_PassesThroughWithStatus()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync("""{"error":{"message":"model not found","type":"invalid_request_error","code":"model_not_found","param":"model"}}""", 400, "application/json");
        await using var gateway = await GatewayHost.StartAsync(upstream.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Json(Chat));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "model_not_found");
    }

    [Fact]
    public async Task Request_UpstreamResponseOverCap_Returns502()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync("{\"data\":\"" + new string('x', 8192) + "\"}");
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, ["--GenSafety:Proxy:MaxResponseBodyBytes=4096"]);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Json(Chat));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadGateway, "upstream_invalid_response");
    }

    [Fact]
    public async Task Request_ClientKeyIsReplacedByUpstreamKey()
    {
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, ["--GenSafety:Proxy:UpstreamApiKey=sk-upstream-secret"]);
        var key = await gateway.CreateClientKeyAsync();
        using var client = gateway.PublicWithKey(key);

        var response = await client.GetAsync("/v1/models");

        response.EnsureSuccessStatusCode();
        var authorization = upstream.LastRequestHeaders!["Authorization"].ToString();
        Assert.Equal("Bearer sk-upstream-secret", authorization);
        Assert.DoesNotContain(upstream.LastRequestHeaders!, h => h.Value.ToString().Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_NoUpstreamKeyConfigured_SendsNoAuthorization()
    {
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        await using var gateway = await GatewayHost.StartAsync(upstream.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        (await client.GetAsync("/v1/models")).EnsureSuccessStatusCode();

        Assert.False(upstream.LastRequestHeaders!.ContainsKey("Authorization"));
    }
}
