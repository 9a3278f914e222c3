namespace GenSafety.Gateway.Detection.Fusion;

/// <summary>Builds a client's <see cref="FusionInput"/> from its detector results, the same online and in replay.</summary>
internal static class FusionInputs
{
    /// <summary>The input of <paramref name="client"/>, with one signal per detector of <paramref name="results"/> that scored it.</summary>
    public static FusionInput Build(EnabledDetectors detectors, ClientBatch client, DetectorResult?[] results)
    {
        var signals = new List<DetectorSignal>(detectors.Active.Count);
        double? coverage = null;
        for (var d = 0; d < detectors.Active.Count; d++)
        {
            if (results[d] is not { } result)
            {
                continue;
            }

            var active = detectors.Active[d];
            signals.Add(new DetectorSignal(active.Detector.Name, result.Score, active.Weight, result.Reason));
            coverage = result.EmbeddingCoverage ?? coverage;
        }

        return new FusionInput(client.Tenant, client.ClientId, client.Events, signals, coverage);
    }
}
