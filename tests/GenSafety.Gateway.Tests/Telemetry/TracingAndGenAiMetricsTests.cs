using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using GenSafety.Gateway.Telemetry;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.Telemetry;

/// <summary>The gateway's spans and GenAI metrics on a real gateway in front of the reference model.</summary>
public sealed class TracingAndGenAiMetricsTests
{
    private static object Chat(bool stream) => new
    {
        model = "reference-ngram",
        max_tokens = 16,
        stream,
        stream_options = stream ? new { include_usage = true } : null,
        messages = new[] { new { role = "user", content = "Tell me about the sea" } },
    };

    [Fact]
    public async Task Requests_produce_identity_admission_upstream_and_stream_spans_and_batches_their_own()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        (await client.PostAsJsonAsync("/v1/chat/completions", Chat(stream: false))).EnsureSuccessStatusCode();
        using var streamed = await client.PostAsJsonAsync("/v1/chat/completions", Chat(stream: true));
        await streamed.Content.ReadAsStringAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!spans.Any(s => s.OperationName == GatewayTracing.DetectionBatch) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var names = spans.Select(s => s.OperationName).ToHashSet();
        Assert.Contains(GatewayTracing.Identity, names);
        Assert.Contains(GatewayTracing.Admission, names);
        Assert.Contains(GatewayTracing.Upstream, names);
        Assert.Contains(GatewayTracing.Stream, names);
        Assert.Contains(GatewayTracing.DetectionBatch, names);
        var identity = spans.First(s => s.OperationName == GatewayTracing.Identity);
        var admission = spans.First(s => s.OperationName == GatewayTracing.Admission);
        // Steps are siblings, not nested inside one another.
        Assert.NotEqual(identity.SpanId, admission.ParentSpanId);
        Assert.Equal(true, identity.GetTagItem("gensafety.authenticated"));
        Assert.Equal(0, admission.GetTagItem("gensafety.level"));
        Assert.Equal("Completed", spans.First(s => s.OperationName == GatewayTracing.Stream).GetTagItem("gensafety.stream.outcome"));
        Assert.Null(spans.First(s => s.OperationName == GatewayTracing.DetectionBatch).Parent);
    }

    [Fact]
    public async Task A_stream_records_token_usage_time_to_first_token_and_time_per_output_token()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GenAiMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        using var streamed = await client.PostAsJsonAsync("/v1/chat/completions", Chat(stream: true));
        await streamed.Content.ReadAsStringAsync();
        var watch = Stopwatch.StartNew();
        while (!measurements.Any(m => m.Instrument == "gen_ai.server.request.duration") && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        var chat = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("gen_ai.operation.name"), "chat")).ToArray();
        var duration = chat.First(m => m.Instrument == "gen_ai.server.request.duration").Value;
        var ttft = chat.First(m => m.Instrument == "gen_ai.server.time_to_first_token").Value;
        var tpot = chat.First(m => m.Instrument == "gen_ai.server.time_per_output_token").Value;
        var output = chat.First(m => m.Instrument == "gen_ai.client.token.usage" && Equals(m.Tags["gen_ai.token.type"], "output")).Value;
        var input = chat.First(m => m.Instrument == "gen_ai.client.token.usage" && Equals(m.Tags["gen_ai.token.type"], "input")).Value;
        Assert.InRange(ttft, 0, duration);
        Assert.InRange(output, 2, 16);
        Assert.True(input > 0);
        Assert.InRange(tpot * (output - 1), 0, duration - ttft + 1e-3);
        Assert.All(chat, m => Assert.DoesNotContain(m.Tags.Keys, k => k.Contains("client", StringComparison.Ordinal) || k.Contains("model", StringComparison.Ordinal)));
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
