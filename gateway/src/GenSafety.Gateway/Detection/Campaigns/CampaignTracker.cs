using System.Collections.Concurrent;
using GenSafety.Detectors.Coverage;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary>
/// Campaign signatures in the pipeline. After each micro-batch's per-client detectors, the batch's signatures
/// (<see cref="CampaignSignatures"/>) are pooled per tenant and signature into the shared <see cref="ICampaignStore"/>,
/// scored on the pooled evidence (<see cref="CampaignScore"/>), and a signature's risk is written raise-only to every
/// client that sent it — also those of earlier batches — with source <c>campaign</c>. A key that sends three
/// requests of a sweep spread over a hundred keys looks clean alone; the prompt they all probe does not.
/// </summary>
internal sealed class CampaignTracker
{
    // A member whose campaign risk is this close to the signature's gets no new write.
    private const double Tolerance = 0.05;

    private readonly ICampaignStore _store;
    private readonly IRiskStore _risk;
    private readonly CampaignOptions _options;
    private readonly DetectionMetrics _metrics;
    private readonly ILogger<CampaignTracker> _logger;
    private readonly ConcurrentDictionary<int, B4BProjection> _projections = new();

    public CampaignTracker(ICampaignStore store, IRiskStore risk, IOptions<CampaignOptions> options, DetectionMetrics metrics, ILogger<CampaignTracker> logger)
    {
        _store = store;
        _risk = risk;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Records and scores the batch's signatures; never throws for an unavailable store (counted and logged).</summary>
    public async Task TrackAsync(IReadOnlyList<ClientBatch> clients, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var pooled = new Dictionary<(string Tenant, string Kind, ulong Key), Pool>();
        foreach (var client in clients)
        {
            foreach (var queryEvent in client.Events)
            {
                foreach (var signature in Signatures(queryEvent))
                {
                    if (!pooled.TryGetValue((client.Tenant, signature.Kind, signature.Key), out var pool))
                    {
                        pool = new Pool();
                        pooled.Add((client.Tenant, signature.Kind, signature.Key), pool);
                    }

                    pool.Clients.Add(client.ClientId);
                    pool.Settings.UnionWith(signature.Settings);
                    pool.Requests++;
                }
            }
        }

        await Task.WhenAll(pooled.Select(p => TrackAsync(p.Key.Tenant, new CampaignRecord(p.Key.Kind, p.Key.Key, p.Value.Clients, p.Value.Settings, p.Value.Requests), cancellationToken)));
    }

    private IEnumerable<CampaignSignature> Signatures(QueryEvent queryEvent)
    {
        foreach (var signature in CampaignSignatures.Of(queryEvent, _options))
        {
            yield return signature;
        }

        if (queryEvent.ReturnedEmbeddings is [{ Length: > 0 } first, ..]
            && CampaignSignatures.Coverage(queryEvent, _options, _projections.GetOrAdd(first.Length, d => new B4BProjection(d, _options.CoverageSeed))) is { } coverage)
        {
            yield return coverage;
        }
    }

    private async Task TrackAsync(string tenant, CampaignRecord record, CancellationToken cancellationToken)
    {
        try
        {
            var totals = await _store.RecordAsync(tenant, record, cancellationToken);
            _metrics.CampaignSignature(record.Kind, record.Requests);
            var (score, reason) = CampaignScore.Of(record.Kind, totals, _options);
            if (reason is null)
            {
                return;
            }

            var members = await _store.ClaimAsync(tenant, record.Kind, record.Key, score, Tolerance, cancellationToken);
            if (members.Count > 0)
            {
                DetectionLog.CampaignRaised(_logger, tenant, record.Kind, members.Count, score);
            }

            foreach (var member in members)
            {
                await _risk.SetRiskAsync(tenant, member, new RiskUpdate(score, CampaignOptions.Source, reason, CampaignOptions.Source, RaiseOnly: true), cancellationToken);
                _metrics.CampaignRiskWritten(record.Kind);
            }
        }
        catch (StateStoreUnavailableException ex)
        {
            _metrics.Error(DetectionStages.Campaign);
            DetectionLog.CampaignNotTracked(_logger, tenant, record.Kind, ex);
        }
    }

    private sealed class Pool
    {
        public HashSet<string> Clients { get; } = new(StringComparer.Ordinal);

        public HashSet<int> Settings { get; } = [];

        public int Requests { get; set; }
    }
}
