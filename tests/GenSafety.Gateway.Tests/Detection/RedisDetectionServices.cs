using System.Text;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Sybil;
using GenSafety.Gateway.Detection.WindowMmd;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>
/// The detection services on real Redis (a key prefix of their own), driven without the background pipeline: tests
/// hand micro-batches of observations to the batch processor and run sybil-linking passes themselves.
/// </summary>
internal sealed class RedisDetectionServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public RedisDetectionServices(SharedRedisFixture redis, params (string Key, string Value)[] settings)
    {
        Prefix = SharedRedisFixture.NewKeyPrefix();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GenSafety:Redis:ConnectionString"] = redis.EndPoint,
            ["GenSafety:Redis:KeyPrefix"] = Prefix,
        }.Concat(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddClientStateStore(configuration).AddEnforcementLevels(configuration).AddDetection(configuration);
        _provider = services.BuildServiceProvider();
        Redis = redis;
    }

    public string Prefix { get; }

    public SharedRedisFixture Redis { get; }

    public IRiskStore Risk => _provider.GetRequiredService<IRiskStore>();

    public SybilLinker Linker => _provider.GetRequiredService<SybilLinker>();

    public IServiceProvider Services => _provider;

    /// <summary>Loads the window-MMD references as the gateway does at start.</summary>
    public Task LoadReferencesAsync() => _provider.GetServices<IHostedService>().OfType<WindowMmdReferenceLoader>().Single().StartAsync(default);

    /// <summary>Runs the observations through the batch processor, <paramref name="batchSize"/> at a time.</summary>
    public async Task ProcessAsync(IReadOnlyList<QueryObservation> observations, int batchSize = 64)
    {
        var processor = _provider.GetRequiredService<DetectionBatchProcessor>();
        for (var i = 0; i < observations.Count; i += batchSize)
        {
            await processor.ProcessAsync([.. observations.Skip(i).Take(batchSize)], default);
        }
    }

    /// <summary>The client's detector keys in Redis and their summed <c>MEMORY USAGE</c>.</summary>
    public async Task<(List<string> Keys, long Bytes)> StateAsync(string tenant, string client)
    {
        var server = Redis.Connection.GetServer(Redis.Connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: $"{Prefix}:{tenant}:det:{client}:*").Select(k => (string)k!).ToList();
        var bytes = 0L;
        foreach (var key in keys)
        {
            bytes += (long)await Redis.Connection.GetDatabase().ExecuteAsync("MEMORY", "USAGE", (RedisKey)key);
        }

        return (keys, bytes);
    }

    /// <summary>A chat request as a client would send it.</summary>
    public static QueryObservation ChatObservation(
        string client, DateTimeOffset at, string user, string? system = null, int? maxTokens = null, double? temperature = null,
        string? logitBias = null, int? topLogprobs = null, string? network = "198.51.100.0/24", string tenant = "t1")
    {
        var messages = new JsonArray();
        if (system is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = user });
        var body = new JsonObject { ["model"] = "m", ["messages"] = messages };
        if (maxTokens is { } max)
        {
            body["max_tokens"] = max;
        }

        if (temperature is { } t)
        {
            body["temperature"] = t;
        }

        if (logitBias is not null)
        {
            body["logit_bias"] = JsonNode.Parse(logitBias);
        }

        if (topLogprobs is { } top)
        {
            body["logprobs"] = true;
            body["top_logprobs"] = top;
        }

        return new QueryObservation(tenant, client, RouteKinds.ChatCompletions, Encoding.UTF8.GetBytes(body.ToJsonString()), at) { SourceNetwork = network };
    }

    /// <summary>An embeddings request with the upstream's answer (returned vectors).</summary>
    public static QueryObservation EmbeddingsObservation(string client, DateTimeOffset at, string input, float[] returned, string tenant = "t1")
    {
        var body = new JsonObject { ["model"] = "e", ["input"] = input };
        var response = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["embedding"] = new JsonArray([.. returned.Select(v => (JsonNode)v)]) }) };
        return new QueryObservation(tenant, client, RouteKinds.Embeddings, Encoding.UTF8.GetBytes(body.ToJsonString()), at)
        {
            EmbeddingsResponse = Encoding.UTF8.GetBytes(response.ToJsonString()),
        };
    }

    /// <summary>Writes a window-MMD reference file of benign question streams; returns its path.</summary>
    public static string WriteReference(int streams, int perStream, int seed)
    {
        var random = new Random(seed);
        var path = Path.Combine(Path.GetTempPath(), $"gs-mmd-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, streams).SelectMany(s => Enumerable.Range(0, perStream).Select(_ =>
            new JsonObject { ["stream"] = $"user-{s}", ["text"] = ExtractionTestTraffic.Question(random) }.ToJsonString())));
        return path;
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
