using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;

namespace GenSafety.Gateway.Tests.Telemetry;

/// <summary>
/// With only the standard OTEL_* settings, the gateway exports its spans and metrics over OTLP/HTTP to a collector
/// (here a real HTTP endpoint that keeps what it receives).
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Spans_and_metrics_reach_the_collector_named_by_OTEL_EXPORTER_OTLP_ENDPOINT()
    {
        var received = new ConcurrentDictionary<string, ConcurrentQueue<byte[]>>(StringComparer.Ordinal);
        await using var collector = await ScriptedUpstream.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.GetOrAdd(context.Request.Path.Value!, _ => new()).Enqueue(body.ToArray());
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url,
        [
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.Url}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_SERVICE_NAME=gateway-under-test",
            "--OTEL_BSP_SCHEDULE_DELAY=100",
            "--OTEL_METRIC_EXPORT_INTERVAL=200",
        ]);
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var answer = await client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "reference-ngram",
            max_tokens = 8,
            messages = new[] { new { role = "user", content = "Tell me about the sea" } },
        });
        answer.EnsureSuccessStatusCode();

        (string Path, string Text)[] expected =
        [
            ("/v1/traces", "gensafety.identity"), ("/v1/traces", "gensafety.admission"), ("/v1/traces", "gen_ai.operation.name"),
            ("/v1/traces", "gateway-under-test"), ("/v1/metrics", "gen_ai.server.request.duration"), ("/v1/metrics", "gensafety.gateway.overhead"),
        ];
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !expected.All(e => Contains(received, e.Path, e.Text)))
        {
            await Task.Delay(100);
        }

        Assert.True(Contains(received, "/v1/traces", "gensafety.identity"), "no gensafety.identity span exported");
        Assert.True(Contains(received, "/v1/traces", "gensafety.admission"), "no gensafety.admission span exported");
        Assert.True(Contains(received, "/v1/traces", "gen_ai.operation.name"), "no GenAI attributes on the server span");
        Assert.True(Contains(received, "/v1/traces", "gateway-under-test"), "OTEL_SERVICE_NAME not applied");
        Assert.True(Contains(received, "/v1/metrics", "gen_ai.server.request.duration"), "GenAI metrics not exported");
        Assert.True(Contains(received, "/v1/metrics", "gensafety.gateway.overhead"), "gateway metrics not exported");
    }

    // OTLP protobuf keeps names and string attributes as UTF-8 bytes.
    private static bool Contains(ConcurrentDictionary<string, ConcurrentQueue<byte[]>> received, string path, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return received.TryGetValue(path, out var bodies) && bodies.Any(b => b.AsSpan().IndexOf(needle) >= 0);
    }
}
