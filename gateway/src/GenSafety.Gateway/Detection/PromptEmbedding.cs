namespace GenSafety.Gateway.Detection;

/// <summary>
/// Embeds, once per micro-batch and embedder, the texts some enabled detector asked a vector for — the prompts
/// (<see cref="IQueryDetector.NeedsPromptVector"/>) and the query texts (<see cref="IQueryDetector.NeedsQueryVector"/>)
/// — and hands each client its vectors. Equal texts of a batch are embedded once. A failing embedder costs the
/// vectors, not the batch.
/// </summary>
internal sealed class PromptEmbedding(EnabledDetectors detectors, DetectionEmbedders embedders, DetectionMetrics metrics, ILogger<PromptEmbedding> logger)
{
    public async Task EmbedAsync(IReadOnlyList<ClientBatch> clients, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, Texts>(StringComparer.Ordinal);
        foreach (var client in clients)
        {
            client.Embedder = embedders.NameFor(client.Tenant);
            client.Vectors = new float[]?[client.Events.Count];
            client.QueryVectors = new float[]?[client.Events.Count];
            if (!wanted.TryGetValue(client.Embedder, out var texts))
            {
                wanted[client.Embedder] = texts = new Texts();
            }

            for (var i = 0; i < client.Events.Count; i++)
            {
                var queryEvent = client.Events[i];
                if (queryEvent.PromptText.Length > 0 && Wanted(queryEvent, query: false))
                {
                    texts.Add(queryEvent.PromptText, client.Vectors, i);
                }

                if (queryEvent.QueryText.Length > 0 && Wanted(queryEvent, query: true))
                {
                    texts.Add(queryEvent.QueryText, client.QueryVectors, i);
                }
            }
        }

        foreach (var (name, texts) in wanted)
        {
            if (texts.Distinct.Count == 0)
            {
                continue;
            }

            try
            {
                var vectors = await embedders.Resolve(name).EmbedAsync([.. texts.Distinct], cancellationToken);
                foreach (var (text, target, index) in texts.Targets)
                {
                    target[index] = vectors[texts.Index[text]];
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.Error(DetectionStages.Embed);
                DetectionLog.EmbeddingFailed(logger, texts.Targets.Count, name, ex);
            }
        }
    }

    private bool Wanted(QueryEvent queryEvent, bool query)
    {
        foreach (var active in detectors.Active)
        {
            if (query ? active.Detector.NeedsQueryVector(queryEvent) : active.Detector.NeedsPromptVector(queryEvent))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One embedder's texts of a batch: each distinct text once, and where each vector goes.</summary>
    private sealed class Texts
    {
        public List<string> Distinct { get; } = [];

        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

        public List<(string Text, float[]?[] Target, int Index)> Targets { get; } = [];

        public void Add(string text, float[]?[] target, int index)
        {
            if (Index.TryAdd(text, Distinct.Count))
            {
                Distinct.Add(text);
            }

            Targets.Add((text, target, index));
        }
    }
}
