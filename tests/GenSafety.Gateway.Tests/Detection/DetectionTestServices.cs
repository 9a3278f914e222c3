using System.Diagnostics.Metrics;
using System.Text;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>The detection services alone (in-memory state), with the <see cref="RecordingDetector"/> as the only detector.</summary>
internal sealed class DetectionTestServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly MeterListener _listener = new();
    private long _shed;
    private long _queued;

    public DetectionTestServices(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GenSafety:Detection:Detectors:api-surface:Enabled"] = "false",
            ["GenSafety:Detection:Detectors:b4b-coverage:Enabled"] = "false",
            ["GenSafety:Detection:Detectors:prada:Enabled"] = "false",
            ["GenSafety:Detection:Detectors:near-duplicate:Enabled"] = "false",
            ["GenSafety:Detection:Detectors:harvesting:Enabled"] = "false",
            ["GenSafety:Detection:Detectors:window-mmd:Enabled"] = "false",
        }.Concat(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddClientStateStore(configuration).AddEnforcementLevels(configuration).AddDetection(configuration);
        services.AddQueryDetector<RecordingDetector>(RecordingDetector.DetectorName);
        _provider = services.BuildServiceProvider();
        var factory = _provider.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == DetectionMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "gensafety.detection.shed")
            {
                Interlocked.Add(ref _shed, value);
            }
            else if (instrument.Name == "gensafety.detection.events")
            {
                Interlocked.Add(ref _queued, value);
            }
        });
        _listener.Start();
        _ = _provider.GetRequiredService<DetectionMetrics>();
    }

    public long Shed => Interlocked.Read(ref _shed);

    public long Queued => Interlocked.Read(ref _queued);

    public DetectionQueue Queue => _provider.GetRequiredService<DetectionQueue>();

    public RecordingDetector Recorder => _provider.GetServices<IQueryDetector>().OfType<RecordingDetector>().Single();

    public IHostedService Pipeline => _provider.GetServices<IHostedService>().OfType<DetectionPipeline>().Single();

    public static QueryObservation Observation(string client = "c1")
        => new("t1", client, RouteKinds.ChatCompletions, Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"hi"}]}"""), DateTimeOffset.UtcNow);

    /// <summary>Waits until the recorder has seen <paramref name="events"/> events, or 10 s.</summary>
    public async Task WaitForEventsAsync(int events)
    {
        for (var i = 0; i < 200 && Recorder.Batches.Sum(b => b.Events) < events; i++)
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Recorder.Gate.Set();
        await Pipeline.StopAsync(default);
        _listener.Dispose();
        await _provider.DisposeAsync();
    }
}
