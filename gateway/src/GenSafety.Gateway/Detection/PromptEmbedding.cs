namespace GenSafety.Gateway.Detection;

/// <summary>
/// Embeds, once per micro-batch and embedder, the prompts of the events some enabled detector asked a vector for,
/// and hands each client its vectors. A failing embedder costs the vectors, not the batch.
/// </summary>
internal sealed class PromptEmbedding(EnabledDetectors detectors, DetectionEmbedders embedders, DetectionMetrics metrics, ILogger<PromptEmbedding> logger)
{
    public async Task EmbedAsync(IReadOnlyList<ClientBatch> clients, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, List<(ClientBatch Client, int Index)>>(StringComparer.Ordinal);
        foreach (var client in clients)
        {
            client.Embedder = embedders.NameFor(client.Tenant);
            client.Vectors = new float[]?[client.Events.Count];
            for (var i = 0; i < client.Events.Count; i++)
            {
                if (client.Events[i].PromptText.Length > 0 && Wanted(client.Events[i]))
                {
                    if (!wanted.TryGetValue(client.Embedder, out var list))
                    {
                        wanted[client.Embedder] = list = [];
                    }

                    list.Add((client, i));
                }
            }
        }

        foreach (var (name, items) in wanted)
        {
            try
            {
                var vectors = await embedders.Resolve(name).EmbedAsync([.. items.Select(item => item.Client.Events[item.Index].PromptText)], cancellationToken);
                for (var i = 0; i < items.Count; i++)
                {
                    items[i].Client.Vectors[items[i].Index] = vectors[i];
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.Error(DetectionStages.Embed);
                DetectionLog.EmbeddingFailed(logger, items.Count, name, ex);
            }
        }
    }

    private bool Wanted(QueryEvent queryEvent)
    {
        foreach (var active in detectors.Active)
        {
            if (active.Detector.NeedsPromptVector(queryEvent))
            {
                return true;
            }
        }

        return false;
    }
}
