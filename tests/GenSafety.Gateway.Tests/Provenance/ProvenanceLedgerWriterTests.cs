using System.Diagnostics.Metrics;
using GenSafety.Gateway.Provenance;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// The ledger queue on the services <c>AddProvenance</c> registers (in-memory ledger): a full queue sheds and counts
/// without waiting, queued records are written once the writer runs, and stopping drains what is queued.
/// </summary>
public sealed class ProvenanceLedgerWriterTests : IDisposable
{
    private const int Capacity = 3;
    private readonly ServiceProvider _provider;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _measured = [];

    public ProvenanceLedgerWriterTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GenSafety:Watermarking:Enabled"] = "true",
            ["GenSafety:Watermarking:MasterKey"] = ProvenanceTestHelpers.MasterKey,
            ["GenSafety:Watermarking:LedgerQueueCapacity"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        _provider = new ServiceCollection().AddLogging().AddProvenance(configuration).BuildServiceProvider();
        var factory = _provider.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("gensafety.provenance.ledger.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument.Name + Tags(tags), value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _measured[instrument.Name] = value);
        _listener.Start();
    }

    private ProvenanceLedgerWriter Writer => _provider.GetRequiredService<ProvenanceLedgerWriter>();

    private IProvenanceLedger Ledger => _provider.GetRequiredService<IProvenanceLedger>();

    public void Dispose()
    {
        _listener.Dispose();
        _provider.Dispose();
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = string.Empty;
        foreach (var tag in tags)
        {
            text += $"|{tag.Key}={tag.Value}";
        }

        return text;
    }

    private void Add(string name, long value)
    {
        lock (_measured)
        {
            _measured[name] = _measured.GetValueOrDefault(name) + value;
        }
    }

    private static PendingLedgerRecord Pending(int i)
    {
        var text = ShippedText.HumanDocuments[i];
        return new PendingLedgerRecord($"rec_{i:D3}", "t", "none", string.Empty, "req", "m", DateTimeOffset.UtcNow, OutputNormalizer.Sha256Hex(text), text);
    }

    [Fact]
    public async Task TryEnqueue_QueueFull_ShedsAndCounts_QueuedOnesWrittenOnceRunning()
    {
        var accepted = Enumerable.Range(0, Capacity + 2).Select(i => Writer.TryEnqueue(Pending(i))).ToArray();
        _listener.RecordObservableInstruments();

        Assert.Equal([true, true, true, false, false], accepted);
        Assert.Equal(Capacity, _measured["gensafety.provenance.ledger.queue.depth"]);
        Assert.Equal(2, _measured["gensafety.provenance.ledger.shed|reason=queue_full"]);
        Assert.Empty(await Ledger.FindByHashAsync(Pending(0).OutputSha256, default));

        await Writer.StartAsync(default);
        await Writer.FlushAsync(TimeSpan.FromSeconds(10), default);

        Assert.Equal(0, Writer.Depth);
        Assert.Equal(Capacity, _measured["gensafety.provenance.ledger.writes|result=ok"]);
        foreach (var i in Enumerable.Range(0, Capacity))
        {
            Assert.Equal($"rec_{i:D3}", (await Ledger.FindByHashAsync(Pending(i).OutputSha256, default)).Single().RecordId);
        }

        Assert.Empty(await Ledger.FindByHashAsync(Pending(Capacity).OutputSha256, default));
        await Writer.StopAsync(default);
    }

    [Fact]
    public async Task StopAsync_DrainsWhatIsQueued_ThenRefusesNewRecords()
    {
        foreach (var i in Enumerable.Range(0, Capacity))
        {
            Assert.True(Writer.TryEnqueue(Pending(i)));
        }

        await Writer.StartAsync(default);
        await Writer.StopAsync(default);

        Assert.Equal(0, Writer.Depth);
        foreach (var i in Enumerable.Range(0, Capacity))
        {
            var found = await Ledger.FindByHashAsync(Pending(i).OutputSha256, default);
            Assert.Equal($"rec_{i:D3}", found.Single().RecordId);
            Assert.Equal(MinHashSketch.Compute(ShippedText.HumanDocuments[i]), found.Single().Sketch);
        }

        Assert.False(Writer.TryEnqueue(Pending(Capacity)));
        Assert.False(_measured.ContainsKey("gensafety.provenance.ledger.shed|reason=shutdown"));
    }
}
