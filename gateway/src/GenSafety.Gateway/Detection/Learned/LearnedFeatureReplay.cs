using GenSafety.Gateway.Detection.Fusion;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// Replays recorded or planned requests through the gateway's own detection path — request parsing
/// (<see cref="QueryEventReader"/>), prompt embedding, the enabled detectors with in-memory state, the fusion input and
/// the learned feature windows — in micro-batches of virtual time, and returns every client step's feature window with
/// the analytic fusion's risk for comparison. The learned scorer's dataset is made this way, so training sees exactly
/// what serving computes. Nothing is forwarded and no risk is written (no enforcement acts back on the clients).
/// </summary>
public sealed class LearnedFeatureReplay : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ReplayClock _clock;
    private readonly EnabledDetectors _detectors;
    private readonly PromptEmbedding _embedding;
    private readonly DetectorRunner _runner;
    private readonly AnalyticRiskFusion _analytic = new();

    private LearnedFeatureReplay(ServiceProvider services, ReplayClock clock)
    {
        _services = services;
        _clock = clock;
        _detectors = services.GetRequiredService<EnabledDetectors>();
        _embedding = services.GetRequiredService<PromptEmbedding>();
        _runner = services.GetRequiredService<DetectorRunner>();
    }

    /// <summary>
    /// A replay with the detection configuration in <paramref name="configuration"/> (the <c>GenSafety:Detection</c>
    /// section a gateway would read; empty: the gateway's defaults) and fresh in-memory detector state.
    /// </summary>
    public static LearnedFeatureReplay Create(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var clock = new ReplayClock();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(configuration);
        services.AddDetection(configuration);
        return new LearnedFeatureReplay(services.BuildServiceProvider(validateScopes: true), clock);
    }

    /// <summary>The detectors that run, in the gateway's order.</summary>
    public IReadOnlyList<string> Detectors => [.. _detectors.Active.Select(a => a.Detector.Name)];

    /// <summary>
    /// Replays <paramref name="requests"/> (any order; sorted by time here) in micro-batches of
    /// <paramref name="batchWindow"/>, keeping windows of <paramref name="window"/> steps (at most
    /// <see cref="LearnedFeatureWindows.MaxWindow"/>). Requests whose body the gateway could not read are skipped.
    /// </summary>
    public async Task<IReadOnlyList<ReplayStep>> ReplayAsync(
        IEnumerable<ReplayRequest> requests, TimeSpan batchWindow, int window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(batchWindow, TimeSpan.Zero);
        var ordered = requests.OrderBy(r => r.At).ToList();
        var windows = new LearnedFeatureWindows(int.MaxValue);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var steps = new List<ReplayStep>();
        var stride = window * LearnedFeatures.Count;
        for (var start = 0; start < ordered.Count;)
        {
            var end = start;
            var cut = ordered[start].At + batchWindow;
            while (end < ordered.Count && ordered[end].At < cut)
            {
                end++;
            }

            var events = new List<QueryEvent>(end - start);
            for (var i = start; i < end; i++)
            {
                var r = ordered[i];
                try
                {
                    events.Add(QueryEventReader.Read(new QueryObservation(r.Tenant, r.Client, r.RouteKind, r.Body, r.At)));
                }
                catch (System.Text.Json.JsonException)
                {
                    // The gateway skips an unreadable observation the same way.
                }
            }

            start = end;
            var clients = ClientBatch.Group(events);
            if (clients.Count == 0)
            {
                continue;
            }

            _clock.Now = cut;
            await _embedding.EmbedAsync(clients, cancellationToken);
            var results = await _runner.RunAsync(clients, cancellationToken);
            for (var c = 0; c < clients.Count; c++)
            {
                var input = FusionInputs.Build(_detectors, clients[c], results[c]);
                var features = new float[stride];
                windows.Append(input, window, features);
                var seen = counts.GetValueOrDefault(input.ClientId) + input.Events.Count;
                counts[input.ClientId] = seen;
                steps.Add(new ReplayStep(input.Tenant, input.ClientId, input.Events[^1].At, seen, features, _analytic.Fuse(input.Signals).Score));
            }
        }

        return steps;
    }

    /// <inheritdoc />
    public void Dispose() => _services.Dispose();

    private sealed class ReplayClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

/// <summary>One request to replay.</summary>
/// <param name="Tenant">Tenant.</param>
/// <param name="Client">Client id.</param>
/// <param name="At">When it was (or would be) sent.</param>
/// <param name="RouteKind">OpenAI route kind (<c>chat.completions</c>, <c>completions</c>, <c>embeddings</c>, …).</param>
/// <param name="Body">The JSON request body.</param>
public sealed record ReplayRequest(string Tenant, string Client, DateTimeOffset At, string RouteKind, ReadOnlyMemory<byte> Body);

/// <summary>One client step of a replay.</summary>
/// <param name="Tenant">Tenant.</param>
/// <param name="Client">Client id.</param>
/// <param name="At">Time of the step's last request.</param>
/// <param name="Requests">The client's requests so far, this step's included.</param>
/// <param name="Window">The feature window after this step (window × <see cref="LearnedFeatures.Count"/>, oldest first).</param>
/// <param name="AnalyticRisk">The <c>analytic</c> fusion's risk of this step's detector signals.</param>
public sealed record ReplayStep(string Tenant, string Client, DateTimeOffset At, int Requests, float[] Window, double AnalyticRisk);
