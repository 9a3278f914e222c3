using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.DependencyInjection;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>The observation pipeline end to end: real Kestrel gateway, reference model or scripted upstream.</summary>
public sealed class DetectionThroughGatewayTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task StalledDetectors_NeverSlowRequests_ObservationsAreShedAndCounted()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url,
        [
            "--GenSafety:Detection:QueueCapacity=4",
            "--GenSafety:Detection:MaxBatchSize=1",
            "--GenSafety:Detection:Detectors:api-surface:Enabled=false",
            "--GenSafety:Detection:Detectors:b4b-coverage:Enabled=false",
        ], services => services.AddQueryDetector<RecordingDetector>(RecordingDetector.DetectorName));
        var recorder = gateway.Services.GetServices<IQueryDetector>().OfType<RecordingDetector>().Single();
        recorder.Gate.Reset();
        using var shed = new CounterListener(gateway.Services, "gensafety.detection.shed");
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "busy"));

        var statuses = new List<HttpStatusCode>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await client.PostAsync("/v1/chat/completions", ChatBody())).StatusCode);
        }

        var elapsed = watch.Elapsed;
        var metrics = await new HttpClient().GetStringAsync(gateway.AdminUrl + "/metrics");
        recorder.Gate.Set();

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        // The detector holds the pipeline for 30 s per batch: had a request waited on it, 30 would take minutes.
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"30 requests took {elapsed}");
        Assert.InRange(shed.Total, 25, 26);
        Assert.Contains("gensafety_detection_shed", metrics);
        Assert.Contains("gensafety_detection_queue_depth", metrics);
    }

    [Fact]
    public async Task Events_CarryWhatTheDetectorsNeed_FromJsonStreamAndEmbeddingsResponses()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url,
        [
            "--GenSafety:Detection:Detectors:api-surface:Enabled=false",
            "--GenSafety:Detection:Detectors:b4b-coverage:Enabled=false",
        ], services => services.AddQueryDetector<RecordingDetector>(RecordingDetector.DetectorName));
        var recorder = gateway.Services.GetServices<IQueryDetector>().OfType<RecordingDetector>().Single();
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "watched"));

        (await client.PostAsync("/v1/chat/completions", Json("""
            {"model":"reference-ngram","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":3,"logprobs":true,"top_logprobs":4,"logit_bias":{"1734":5}}
            """))).EnsureSuccessStatusCode();
        var stream = await client.PostAsync("/v1/chat/completions", Json("""
            {"model":"reference-ngram","messages":[{"role":"user","content":"The sea"}],"max_tokens":4,"stream":true,"stream_options":{"include_usage":true}}
            """));
        await stream.Content.ReadAsStringAsync();
        (await client.PostAsync("/v1/embeddings", Json("""{"model":"reference-minilm","input":["a red fox","a blue whale"]}"""))).EnsureSuccessStatusCode();
        (await client.PostAsync("/v1/chat/completions", Json("""{"model":"reference-ngram","messages":[]}"""))).Dispose();
        for (var i = 0; i < 100 && recorder.Events.Count < 3; i++)
        {
            await Task.Delay(50);
        }

        var events = recorder.Events.ToArray();
        Assert.Equal(3, events.Length);
        var json = events.Single(e => e.PromptText == "Once upon a time");
        Assert.Equal(("default", "watched", "reference-ngram"), (json.Tenant, json.ClientId, json.Model));
        Assert.Equal((true, 4, 3), (json.Parameters.Logprobs, json.Parameters.TopLogprobs, json.Parameters.MaxTokens));
        Assert.Equal([new LogitBiasEntry(1734, 5)], json.Parameters.LogitBias);
        Assert.Single(json.FinishReasons);
        Assert.NotNull(json.Usage);
        var streamed = events.Single(e => e.PromptText == "The sea");
        Assert.True(streamed.Parameters.Stream);
        Assert.Single(streamed.FinishReasons);
        Assert.True(streamed.Usage!.CompletionTokens > 0);
        var embeddings = events.Single(e => e.RouteKind == "embeddings");
        Assert.Equal("a red fox\na blue whale", embeddings.PromptText);
        Assert.Equal(2, embeddings.ReturnedEmbeddings.Count);
        Assert.All(embeddings.ReturnedEmbeddings, v => Assert.Equal(384, v.Length));
    }

    /// <summary>Sums one counter of the gateway's own meters (its <see cref="IMeterFactory"/>), not other gateways' in the process.</summary>
    private sealed class CounterListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public CounterListener(IServiceProvider services, string name)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
