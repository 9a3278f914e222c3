using System.Diagnostics;
using System.Text.Json;
using GenSafety.ReferenceModel.Tests.TestHost;

namespace GenSafety.ReferenceModel.Tests.Completions;

public sealed class StreamingTests : IAsyncLifetime
{
    private ReferenceModelHost _host = null!;

    public async Task InitializeAsync() => _host = await ReferenceModelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ChatStream_RawBody_IsWellFormedSseWithUsageAndDone()
    {
        using var request = HttpJson.Request("/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"Notes on feelings."}],"stream":true,"stream_options":{"include_usage":true},"max_tokens":12,"logprobs":true,"top_logprobs":2,"logit_bias":{"100257":-100}}""");
        using var response = await _host.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        var events = body.Split("\n\n")[..^1];
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));

        var first = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        var tokenChunks = chunks[1..^2];
        Assert.Equal(12, tokenChunks.Length); // one token per chunk
        Assert.All(tokenChunks, c =>
        {
            Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind);
            var entry = c.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray().Single();
            Assert.Equal(2, entry.GetProperty("top_logprobs").GetArrayLength());
        });
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usage = chunks[^1];
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.Equal(12, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatStream_TokenDelayHeader_SpreadsChunksOverTime()
    {
        using var request = HttpJson.Request("/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"Notes on places."}],"stream":true,"max_tokens":8,"logit_bias":{"100257":-100}}""",
            (ReferenceModelHeaders.TokenDelayMs, "150"));
        var clock = Stopwatch.StartNew();
        using var response = await _host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await HttpJson.ReadEventsAsync(response, clock);

        // 8 tokens × 150 ms: the role chunk comes at once, the last token about 1.2 s later.
        var spread = events[^1].At - events[0].At;
        Assert.True(spread > TimeSpan.FromMilliseconds(800), $"chunks spread over {spread.TotalMilliseconds} ms");
        Assert.True(events[1].At - events[0].At < spread / 2);
    }

    [Fact]
    public async Task ResponseDelayHeader_DelaysResponseHeaders()
    {
        var clock = Stopwatch.StartNew();
        var (status, _) = await HttpJson.PostAsync(_host.Http, "/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":1}""", (ReferenceModelHeaders.ResponseDelayMs, "400"));

        Assert.Equal(200, (int)status);
        Assert.True(clock.Elapsed > TimeSpan.FromMilliseconds(350), $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task ChatStream_ClientDisconnectsMidStream_CountedAsCancelled()
    {
        var before = _host.Activity.RequestsCancelled;

        // No draining of the unread response on dispose: the connection closes at once, like a client going away.
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = new Uri(_host.BaseUrl) };
        using var cancel = new CancellationTokenSource();
        using (var request = HttpJson.Request("/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"Notes on time."}],"stream":true,"max_tokens":200}""",
            (ReferenceModelHeaders.TokenDelayMs, "100")))
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            Assert.StartsWith("data: ", await reader.ReadLineAsync(cancel.Token), StringComparison.Ordinal);
            await cancel.CancelAsync();
        }

        Assert.True(await WaitUntilAsync(() => _host.Activity.RequestsCancelled > before), "cancellation was not observed");
        Assert.Equal(0, _host.Activity.RequestsInFlight);
    }

    [Fact]
    public async Task ResponseDelay_ClientTimesOut_CountedAsCancelled()
    {
        var before = _host.Activity.RequestsCancelled;
        using var http = new HttpClient { BaseAddress = new Uri(_host.BaseUrl), Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => HttpJson.PostAsync(http, "/v1/chat/completions",
            """{"model":"m","messages":[{"role":"user","content":"x"}]}""", (ReferenceModelHeaders.ResponseDelayMs, "10000")));

        Assert.True(await WaitUntilAsync(() => _host.Activity.RequestsCancelled > before), "cancellation was not observed");
    }

    [Fact]
    public async Task Activity_CompletedRequest_CountedStartedAndCompleted()
    {
        var started = _host.Activity.RequestsStarted;
        var completed = _host.Activity.RequestsCompleted;

        await HttpJson.GetAsync(_host.Http, "/v1/models");

        Assert.Equal(started + 1, _host.Activity.RequestsStarted);
        Assert.True(await WaitUntilAsync(() => _host.Activity.RequestsCompleted == completed + 1));
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        return condition();
    }
}
