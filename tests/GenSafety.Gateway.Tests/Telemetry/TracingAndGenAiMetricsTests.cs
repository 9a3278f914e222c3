using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using GenSafety.Gateway.Telemetry;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task Requests_produce_step_spans_in_the_callers_trace_and_batches_their_own()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is GatewayTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());
        // Other tests run gateways in this process too: only spans of this trace are ours.
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");

        (await client.PostAsJsonAsync("/v1/chat/completions", Chat(stream: false))).EnsureSuccessStatusCode();
        using var streamed = await client.PostAsJsonAsync("/v1/chat/completions", Chat(stream: true));
        await streamed.Content.ReadAsStringAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!spans.Any(s => s.OperationName == GatewayTracing.DetectionBatch) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var mine = spans.Where(s => s.TraceId == traceId).ToArray();
        // The gateway's server spans continue the caller's span (the reference model's, also in this process, do not).
        var servers = mine.Where(s => s.Source.Name == "Microsoft.AspNetCore" && s.ParentSpanId == callerSpanId).ToArray();
        var seen = string.Join(", ", mine.Select(s => $"{s.Source.Name}/{s.OperationName}/{s.ParentSpanId}/{s.SpanId}"));
        Assert.True(servers.Length == 2, seen);
        foreach (var step in new[] { GatewayTracing.Identity, GatewayTracing.Admission, GatewayTracing.Upstream })
        {
            // One per request, each a child of its request's server span: the steps are siblings, not nested.
            var stepSpans = mine.Where(s => s.OperationName == step).ToArray();
            Assert.True(stepSpans.Length == 2, $"{step}: {seen}");
            Assert.All(stepSpans, s => Assert.Contains(servers, server => server.SpanId == s.ParentSpanId));
        }

        Assert.All(mine.Where(s => s.OperationName == GatewayTracing.Identity), s => Assert.Equal(true, s.GetTagItem("gensafety.authenticated")));
        Assert.All(mine.Where(s => s.OperationName == GatewayTracing.Admission), s => Assert.Equal(0, s.GetTagItem("gensafety.level")));
        var stream = Assert.Single(mine, s => s.OperationName == GatewayTracing.Stream);
        Assert.Equal("Completed", stream.GetTagItem("gensafety.stream.outcome"));
        Assert.Contains("usage", (string)stream.GetTagItem("gensafety.transforms")!, StringComparison.Ordinal);
        Assert.All(servers, s => Assert.Equal("chat", s.GetTagItem("gen_ai.operation.name")));
        Assert.All(servers, s => Assert.Equal("reference-ngram", s.GetTagItem("gen_ai.request.model")));
        Assert.All(servers, s => Assert.True(s.GetTagItem("gen_ai.usage.output_tokens") is long n && n > 0));
        Assert.All(servers, s => Assert.Null(s.GetTagItem("gensafety.client")));
        Assert.Contains(spans, s => s.OperationName == GatewayTracing.DetectionBatch && s.Parent is null && s.ParentSpanId == default);
    }

    [Fact]
    public async Task A_stream_records_token_usage_time_to_first_token_and_time_per_output_token()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());
        // Only this gateway's meters (other tests' gateways run in the same process): a DI meter's scope is its factory.
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GenAiMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();

        using var streamed = await client.PostAsJsonAsync("/v1/chat/completions", Chat(stream: true));
        await streamed.Content.ReadAsStringAsync();
        var watch = Stopwatch.StartNew();
        // Time per output token is the last of the four recorded at the end of the request.
        while (!measurements.Any(m => m.Instrument == "gen_ai.server.time_per_output_token") && watch.Elapsed < TimeSpan.FromSeconds(5))
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
