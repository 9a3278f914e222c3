using System.Diagnostics.Metrics;
using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Detectors.Tests.Telemetry;

public sealed class DetectorsMetricsTests
{
    [Fact]
    public async Task ProviderGauge_LoadedMiniLm_ReportsItsProviderUntilDisposed()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["GenSafety:Detection:Embeddings:MiniLm:Provider"] = "cpu" })
            .Build();
        var services = new ServiceCollection().AddDetectorEmbeddings(configuration).BuildServiceProvider();
        using var listener = Listen(services, out var measurements);

        listener.RecordObservableInstruments();
        Assert.DoesNotContain(measurements, m => m.Name == "gensafety.detectors.embedder.provider");

        var embedder = services.GetRequiredService<MiniLmEmbedder>();
        listener.RecordObservableInstruments();
        var gauge = Assert.Single(measurements, m => m.Name == "gensafety.detectors.embedder.provider");
        Assert.Equal(1, gauge.Value);
        Assert.Equal("minilm", gauge.Tags["embedder"]);
        Assert.Equal(embedder.ExecutionProvider, gauge.Tags["provider"]);

        await services.DisposeAsync();
        measurements.Clear();
        listener.RecordObservableInstruments();
        Assert.DoesNotContain(measurements, m => m.Name == "gensafety.detectors.embedder.provider");
    }

    [Fact]
    public async Task EmbedAsync_Hashing_CountsInputsAndRecordsDuration()
    {
        await using var services = new ServiceCollection().AddDetectorEmbeddings(new ConfigurationBuilder().Build()).BuildServiceProvider();
        using var listener = Listen(services, out var measurements);

        await services.GetRequiredKeyedService<ITextEmbedder>(EmbedderNames.Hashing).EmbedAsync(["a", "b", "c"]);

        var inputs = Assert.Single(measurements, m => m.Name == "gensafety.detectors.embedder.inputs");
        Assert.Equal(3, inputs.Value);
        Assert.Equal("hashing", inputs.Tags["embedder"]);
        var duration = Assert.Single(measurements, m => m.Name == "gensafety.detectors.embedder.duration");
        Assert.True(duration.Value >= 0);
    }

    private static MeterListener Listen(IServiceProvider services, out List<(string Name, double Value, Dictionary<string, object?> Tags)> measurements)
    {
        // Meters from this provider's factory only: other tests' meters of the same name belong to other providers.
        var factory = services.GetRequiredService<IMeterFactory>();
        _ = services.GetRequiredService<DetectorsMetrics>();
        var recorded = new List<(string, double, Dictionary<string, object?>)>();
        measurements = recorded;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DetectorsMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            lock (recorded)
            {
                recorded.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, object?>(tags.ToArray())));
            }
        }

        listener.SetMeasurementEventCallback<int>(Record);
        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();
        return listener;
    }
}
