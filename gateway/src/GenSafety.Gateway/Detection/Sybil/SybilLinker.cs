using System.Diagnostics;
using System.Globalization;
using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection.Coverage;
using GenSafety.Gateway.Detection.Harvesting;
using GenSafety.Gateway.Detection.State;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Sybil;

/// <summary>
/// Sybil linking in the pipeline. After each micro-batch the clients' activity (last seen, source network) is
/// recorded (<see cref="RecordAsync"/>); every <see cref="SybilLinkingOptions.Interval"/> a pass over each tenant this
/// replica has seen (<see cref="LinkAsync"/>) reads its most recently active clients' <c>harvesting</c> states and
/// B4B coverage bitmaps, scores every pair with the library's <see cref="SybilLinking.Link"/> (shared templates,
/// coverage overlap, timing correlation) plus <see cref="SybilLinkingOptions.NetworkWeight"/> for a shared source
/// network, clusters the links with <see cref="SybilClustering"/>, and writes each cluster's highest member risk to the
/// other members, raise-only, with source <c>sybil-link</c> — a sybil that looks clean alone inherits its campaign's
/// risk. The reason names the cluster's size, never other clients. Runs while <c>harvesting</c> is enabled.
/// </summary>
internal sealed class SybilLinker : BackgroundService
{
    // A member's risk this close to the cluster's is left alone (no write for nothing).
    private const double Tolerance = 0.01;

    private readonly ISybilActivityStore _activity;
    private readonly IDetectorStateStore _states;
    private readonly IRiskStore _risk;
    private readonly SybilLinkingOptions _options;
    private readonly SybilLinkOptions _linkOptions;
    private readonly DetectionMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SybilLinker> _logger;
    private readonly HarvestingQueryDetector? _harvesting;
    private readonly bool _coverage;

    public SybilLinker(
        EnabledDetectors detectors, ISybilActivityStore activity, IDetectorStateStore states, IRiskStore risk, IOptions<SybilLinkingOptions> options,
        IOptions<SybilLinkOptions> linkOptions, DetectionMetrics metrics, TimeProvider time, ILogger<SybilLinker> logger)
    {
        _activity = activity;
        _states = states;
        _risk = risk;
        _options = options.Value;
        _linkOptions = linkOptions.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _harvesting = _options.Enabled ? detectors.Active.Select(a => a.Detector).OfType<HarvestingQueryDetector>().FirstOrDefault() : null;
        _coverage = detectors.Active.Any(a => a.Detector is B4BCoverageDetector);
    }

    /// <summary>Whether linking runs (enabled, and the harvesting detector with it).</summary>
    public bool Active => _harvesting is not null;

    /// <summary>Records the batch's clients as active, with their latest source network. Never throws for the store.</summary>
    public async Task RecordAsync(IReadOnlyList<ClientBatch> clients, CancellationToken cancellationToken)
    {
        if (!Active || clients.Count == 0)
        {
            return;
        }

        try
        {
            await _activity.RecordAsync(
                [.. clients.Select(c => new ClientActivity(c.Tenant, c.ClientId, c.Events.Max(e => e.At), c.Events.LastOrDefault(e => e.SourceNetwork is not null)?.SourceNetwork))],
                cancellationToken);
        }
        catch (StateStoreUnavailableException ex)
        {
            _metrics.Error(DetectionStages.Sybil);
            DetectionLog.SybilActivityNotRecorded(_logger, clients.Count, ex);
        }
    }

    /// <summary>One linking pass over <paramref name="tenant"/>; returns the clusters of two or more clients it found.</summary>
    public async Task<IReadOnlyList<SybilCluster>> LinkAsync(string tenant, CancellationToken cancellationToken)
    {
        if (_harvesting is not { } harvesting)
        {
            return [];
        }

        var start = Stopwatch.GetTimestamp();
        var clients = await _activity.ReadActiveAsync(tenant, _time.GetUtcNow() - _options.ActiveWindow, _options.MaxClients, cancellationToken);
        if (clients.Count < 2)
        {
            return [];
        }

        var (states, bitmaps) = await ReadStatesAsync(tenant, clients, harvesting, cancellationToken);
        var links = new List<ClientLink>();
        for (var a = 0; a < clients.Count; a++)
        {
            for (var b = a + 1; b < clients.Count && states[a] is not null; b++)
            {
                if (states[b] is null)
                {
                    continue;
                }

                var evidence = SybilLinking.Link(harvesting.Library, states[a]!, states[b]!, bitmaps[a], bitmaps[b], _linkOptions);
                var network = clients[a].Network is { } n && n == clients[b].Network ? _options.NetworkWeight : 0;
                links.Add(new ClientLink(a, b, Math.Min(1, evidence.Score + network)));
            }
        }

        var labels = SybilClustering.Cluster(clients.Count, links, _linkOptions.LinkThreshold);
        var clusters = labels.Select((label, index) => (label, index)).GroupBy(x => x.label).Where(g => g.Count() > 1)
            .Select(g => new SybilCluster([.. g.Select(x => clients[x.index].ClientId)], 0)).ToList();
        for (var c = 0; c < clusters.Count; c++)
        {
            clusters[c] = await PropagateAsync(tenant, clusters[c], cancellationToken);
        }

        _metrics.SybilPass(Stopwatch.GetElapsedTime(start), clusters.Count);
        return clusters;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Active)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var tenant in _activity.Tenants)
                {
                    try
                    {
                        await LinkAsync(tenant, stoppingToken);
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        _metrics.Error(DetectionStages.Sybil);
                        DetectionLog.SybilPassFailed(_logger, tenant, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    // The clients' harvesting states (null: none or unreadable) and coverage bitmaps (empty: none), one read.
    private async Task<(HarvestingState?[] States, byte[][] Bitmaps)> ReadStatesAsync(
        string tenant, IReadOnlyList<ClientActivity> clients, HarvestingQueryDetector harvesting, CancellationToken cancellationToken)
    {
        var keys = clients.Select(c => new DetectorStateKey(tenant, c.ClientId, harvesting.Name, DetectorStateMode.Replace)).ToList();
        if (_coverage)
        {
            keys.AddRange(clients.Select(c => new DetectorStateKey(tenant, c.ClientId, B4BCoverageDetector.DetectorName, DetectorStateMode.BitwiseOr)));
        }

        var entries = await _states.ReadAsync(keys, cancellationToken);
        var states = new HarvestingState?[clients.Count];
        var bitmaps = new byte[clients.Count][];
        for (var i = 0; i < clients.Count; i++)
        {
            states[i] = entries[i].Data.Length > 0 && harvesting.Library.TryDeserialize(entries[i].Data, out var state) ? state : null;
            bitmaps[i] = [];
            if (_coverage && entries[clients.Count + i].Data is { Length: > 0 } bits)
            {
                // Redis keeps a bitmap only as long as its highest set bit: pad to the full size to compare.
                bitmaps[i] = new byte[B4BCoverageDetector.StateSize];
                bits.AsSpan(0, Math.Min(bits.Length, bitmaps[i].Length)).CopyTo(bitmaps[i]);
            }
        }

        return (states, bitmaps);
    }

    // Writes the cluster's highest risk to the members below it; returns the cluster with that risk.
    private async Task<SybilCluster> PropagateAsync(string tenant, SybilCluster cluster, CancellationToken cancellationToken)
    {
        var risks = await Task.WhenAll(cluster.Members.Select(m => _risk.GetAsync(tenant, m, cancellationToken).AsTask()));
        var max = risks.Max(r => r.Risk);
        DetectionLog.SybilCluster(_logger, tenant, cluster.Members.Count, max);
        if (max < _options.MinClusterRisk)
        {
            return cluster with { Risk = max };
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"linked to a cluster of {cluster.Members.Count} clients (shared templates, coverage, timing, network); cluster risk {max:0.##}");
        for (var i = 0; i < cluster.Members.Count; i++)
        {
            if (risks[i].Risk < max - Tolerance)
            {
                await _risk.SetRiskAsync(tenant, cluster.Members[i], new RiskUpdate(max, SybilLinkingOptions.Source, reason, SybilLinkingOptions.Source, RaiseOnly: true), cancellationToken);
                _metrics.SybilPropagated();
            }
        }

        return cluster with { Risk = max };
    }
}

/// <summary>A cluster of linked clients.</summary>
/// <param name="Members">Its clients.</param>
/// <param name="Risk">Its highest member risk when the pass ran.</param>
internal sealed record SybilCluster(IReadOnlyList<string> Members, double Risk);
