using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.Tests.DatasetInference;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using GenSafety.LoadTests.ProofOfWork;

namespace GenSafety.Deployment.Tests.Monitoring;

/// <summary>
/// A gateway on real Redis in front of the reference model, with every protection on (MiniLM embeddings, watermarks,
/// leak filter, enforcement ladder), put under mixed load — benign traffic on every route, streams, clients pinned at
/// L1 to L4, a solved proof-of-work, verifications, verbatim copies, a route whose upstream refuses connections, a
/// detection queue small enough to shed —
/// while a real Prometheus scrapes its admin port every second.
/// </summary>
public sealed class LoadedGatewayFixture : IAsyncLifetime
{
    public const string Job = "gensafety-gateway";
    private const int Rounds = 4;
    private const string LeakTenant = "leaks";
    private const string UnreachablePath = "/v1/unreachable/completions";

    private readonly SharedRedisFixture _redis = new();
    private ReferenceModelHost? _model;
    private GatewayHost? _gateway;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public GatewayHost Gateway => _gateway!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _model = await ReferenceModelHost.StartAsync();
        _gateway = await GatewayHost.StartAsync(_model.Url,
        [
            $"--GenSafety:Redis:ConnectionString={_redis.EndPoint}",
            $"--GenSafety:Redis:KeyPrefix={SharedRedisFixture.NewKeyPrefix()}",
            "--GenSafety:Detection:Embedder=minilm",
            "--GenSafety:Detection:QueueCapacity=2",
            "--GenSafety:Detection:MaxBatchSize=2",
            "--GenSafety:Detection:RiskFloor=0",
            "--GenSafety:Watermarking:Enabled=true",
            "--GenSafety:Watermarking:DefaultScheme=unigram-bias",
            $"--GenSafety:Watermarking:TenantSchemes:{LeakTenant}=none",
            $"--GenSafety:Watermarking:MasterKey={Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray())}",
            "--GenSafety:Memorization:PromptCheck=false",
            "--GenSafety:Enforcement:ProofOfWork:Secret=deployment-tests-secret-0123456789abcdef",
            "--GenSafety:Enforcement:ProofOfWork:MinBits=4",
            "--GenSafety:Enforcement:ProofOfWork:MaxBits=8",
            "--GenSafety:Enforcement:Risk:MinDelay=00:00:00.020",
            "--GenSafety:Enforcement:Risk:MaxDelay=00:00:00.050",
            // A route to an upstream that refuses connections: the 502s the upstream-error panels and alert read.
            "--ReverseProxy:Routes:unreachable:ClusterId=unreachable",
            $"--ReverseProxy:Routes:unreachable:Match:Path={UnreachablePath}",
            "--ReverseProxy:Routes:unreachable:Metadata:GenSafety.RouteKind=completions",
            $"--ReverseProxy:Clusters:unreachable:Destinations:closed:Address=http://127.0.0.1:{FreePort.Next()}/",
        ]);
        Prometheus = await PrometheusServer.StartAsync(new Uri(_gateway.AdminUrl).Authority, Job);
        // Prometheus hands new targets to its scrapers only every few seconds: the load must start after the first
        // scrape, so that every counter has a sample before and after it.
        await WaitForScrapesAfterAsync(DateTimeOffset.UtcNow, scrapes: 1);
        await DriveLoadAsync(_gateway, _model.Url);
        await WaitForScrapesAfterAsync(DateTimeOffset.UtcNow, scrapes: 3);
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_model is not null)
        {
            await _model.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    private static async Task DriveLoadAsync(GatewayHost gateway, string modelUrl)
    {
        var benign = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => gateway.CreateClientKeyAsync($"benign-{i}")));
        var pinned = new Dictionary<int, string>();
        foreach (var level in new[] { 1, 2, 3, 4 })
        {
            pinned[level] = await gateway.CreateClientKeyAsync($"pinned-l{level}");
            var put = await gateway.Admin.PutAsJsonAsync($"/admin/clients/pinned-l{level}/level", new { level, reason = "deployment test" });
            put.EnsureSuccessStatusCode();
        }

        // Leaks: the model's own greedy answers to member prefixes become protected text, so the same requests through
        // the gateway (no watermark for this tenant, so the same tokens) must be stopped.
        var leakKey = await gateway.CreateClientKeyAsync("leaker", LeakTenant);
        var prompts = new List<string>();
        using (var direct = new HttpClient { BaseAddress = new Uri(modelUrl) })
        {
            var outputs = new List<object>();
            foreach (var member in ReferenceDocuments.Members)
            {
                var prompt = member[..80];
                using var answer = JsonDocument.Parse(await SendAsync(direct, "/v1/completions", Completion(prompt, stream: false)));
                var text = answer.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!;
                // Well past the leak filter's 150-character threshold, so that a stream is cut too.
                if (text.Length >= 400)
                {
                    prompts.Add(prompt);
                    outputs.Add(new { id = $"answer-{prompts.Count}", text });
                }

                if (prompts.Count == Rounds)
                {
                    break;
                }
            }

            Assert.Equal(Rounds, prompts.Count);
            var add = await gateway.Admin.PostAsJsonAsync("/admin/protected/text", new { documents = outputs });
            add.EnsureSuccessStatusCode();
        }

        using var anonymous = gateway.PublicWithKey("gsk_not-a-real-key");
        for (var round = 0; round < Rounds; round++)
        {
            var work = new List<Task>();
            foreach (var key in benign)
            {
                var client = gateway.PublicWithKey(key);
                work.Add(UsingAsync(client, async c =>
                {
                    var answer = await SendAsync(c, "/v1/chat/completions", Chat("Tell me about the sea", stream: false));
                    await SendAsync(c, "/v1/chat/completions", Chat("Tell me about the river", stream: true));
                    await SendAsync(c, "/v1/completions", new { model = "reference-ngram", prompt = "Once upon a time", max_tokens = 24 });
                    await SendAsync(c, "/v1/embeddings", new { model = "reference-minilm", input = new[] { "first text", "second text" } });
                    await SendAsync(c, UnreachablePath, new { model = "reference-ngram", prompt = "Hello", max_tokens = 4 });
                    if (Text(answer) is { Length: > 0 } text)
                    {
                        await SendAsync(c, "/v1/verify/text", new { text });
                    }
                }));
            }

            foreach (var (level, key) in pinned)
            {
                var client = gateway.PublicWithKey(key);
                work.Add(UsingAsync(client, c => level == 3 ? SolveChallengeAsync(c) : SendAsync(c, "/v1/chat/completions", Chat("Hello there", stream: false))));
            }

            var prompt = prompts[round];
            work.Add(UsingAsync(gateway.PublicWithKey(leakKey), async c =>
            {
                await SendAsync(c, "/v1/completions", Completion(prompt, stream: false));
                await SendAsync(c, "/v1/completions", Completion(prompt, stream: true));
            }));
            work.Add(SendAsync(anonymous, "/v1/chat/completions", Chat("no key", stream: false)));
            await Task.WhenAll(work);
        }

        // One client repeating a prompt, one request at a time so that the tiny queue keeps every observation: the
        // near-duplicate detector scores it and risk is written.
        using var repeater = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("repeater"));
        for (var i = 0; i < 40; i++)
        {
            await SendAsync(repeater, "/v1/completions", new { model = "reference-ngram", prompt = "List every word you know that starts with q", max_tokens = 1 });
            await Task.Delay(20);
        }
    }

    private async Task WaitForScrapesAfterAsync(DateTimeOffset after, int scrapes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var (_, _, last) = await Prometheus.QueryAsync($"timestamp(up{{job=\"{Job}\"}} == 1)");
            if (last.Length == 1
                && double.Parse(last[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= after.ToUnixTimeSeconds() + scrapes)
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"Prometheus did not scrape the gateway after the load: {Prometheus.Output}");
    }

    private static object Completion(string prompt, bool stream)
        => new { model = "reference-ngram", prompt, max_tokens = 160, temperature = 0, stream };

    private static object Chat(string content, bool stream) => stream
        ? (object)new { model = "reference-ngram", max_tokens = 24, stream = true, stream_options = new { include_usage = true }, messages = new[] { new { role = "user", content } } }
        : new { model = "reference-ngram", max_tokens = 24, messages = new[] { new { role = "user", content } } };

    private static async Task SolveChallengeAsync(HttpClient client)
    {
        using var first = await client.PostAsync("/v1/chat/completions", Json(Chat("Hello there", stream: false)));
        if (first.StatusCode != HttpStatusCode.TooManyRequests || !first.Headers.TryGetValues(ProofOfWorkService.ChallengeHeaderName, out var challenge))
        {
            throw new InvalidOperationException($"An L3 client got {(int)first.StatusCode} without a challenge.");
        }

        var (token, bits) = ProofOfWorkSolver.ParseChallenge(challenge.Single());
        var nonce = ProofOfWorkSolver.Solve(token, bits, CancellationToken.None);
        using var proved = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(Chat("Hello there", stream: false)) };
        proved.Headers.Add(ProofOfWorkService.ProofHeaderName, ProofOfWorkSolver.ProofHeader(token, nonce));
        using var second = await client.SendAsync(proved);
        if (!second.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"A solved proof-of-work was answered {(int)second.StatusCode}.");
        }
    }

    private static async Task<string> SendAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsync(path, Json(body));
        return await response.Content.ReadAsStringAsync();
    }

    private static StringContent Json(object body)
        => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static string? Text(string chatCompletion)
    {
        try
        {
            using var json = JsonDocument.Parse(chatCompletion);
            return json.RootElement.TryGetProperty("choices", out var choices)
                ? choices[0].GetProperty("message").GetProperty("content").GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task UsingAsync(HttpClient client, Func<HttpClient, Task> work)
    {
        using (client)
        {
            await work(client);
        }
    }
}
