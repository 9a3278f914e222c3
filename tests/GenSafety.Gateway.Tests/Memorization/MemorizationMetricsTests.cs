using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.DependencyInjection;
using static GenSafety.Gateway.Tests.Memorization.MemorizationJsonTransformTests;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>The meter <c>GenSafety.Gateway.Memorization</c> of one gateway.</summary>
public sealed class MemorizationMetricsTests
{
    [Fact]
    public async Task BlockedResponseAndStoppedStream_CountedWithIndexGauges()
    {
        await using var upstream = await MemorizationUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, GatewayArgs);
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        var values = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Meter.Name == MemorizationMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Select(t => $"|{t.Key}={t.Value}"));
            values.AddOrUpdate(key, value, (_, old) => instrument is ObservableGauge<long> ? value : old + value);
        });
        listener.Start();
        await ProtectAsync(gateway, ("protected-novel", Protected));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());
        upstream.Texts = [Quote(100, 400)];

        await client.PostAsync("/v1/chat/completions", Chat());
        await (await client.PostAsync("/v1/chat/completions", Chat(stream: true))).Content.ReadAsStringAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(1, values.GetValueOrDefault("gensafety.memorization.added|corpus=text"));
        Assert.Equal(1, values.GetValueOrDefault("gensafety.memorization.hits|kind=text"));
        Assert.Equal(1, values.GetValueOrDefault("gensafety.memorization.hits|kind=stream"));
        Assert.Equal(1, values.GetValueOrDefault("gensafety.memorization.blocked|action=block"));
        Assert.Equal(1, values.GetValueOrDefault("gensafety.memorization.stream_ends"));
        Assert.Equal(1, values.GetValueOrDefault("gensafety.memorization.checks|kind=text"));
        Assert.Equal(1, values.GetValueOrDefault("gensafety.memorization.index.documents"));
        Assert.True(values.GetValueOrDefault("gensafety.memorization.index.ngrams") >= 45);
        Assert.True(values.GetValueOrDefault("gensafety.memorization.index.bytes") > 1_000_000);
    }
}
