using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Linear;

namespace GenSafety.Traffic.Campaigns;

/// <summary>
/// What a degraded embeddings answer cost its sender: the same inputs are sent to an undefended endpoint (the
/// oracle) and the mean cosine between the returned and the clean vectors is recorded. Undegraded answers are
/// not checked: the gateway passes the upstream's vectors through unchanged unless it marks the answer degraded.
/// </summary>
public sealed class EmbeddingDrift(ITrafficTransport oracle, TrafficClient oracleClient)
{
    /// <summary>
    /// Mean cosine between <paramref name="response"/>'s vectors and the oracle's for the same inputs, or null when
    /// there is nothing to compare (not embeddings, not degraded, failed, or the oracle did not answer in kind).
    /// </summary>
    public async Task<double?> CleanCosineAsync(TrafficRequest request, TrafficResponse response, CancellationToken cancellationToken)
    {
        if (request.Route != TrafficRoute.Embeddings || !response.Ok || response.Degraded is null || response.Embeddings.Count == 0)
        {
            return null;
        }

        var inputs = Inputs(request.Body);
        if (inputs.Count != response.Embeddings.Count)
        {
            return null;
        }

        var clean = await oracle.SendAsync(oracleClient, TrafficRequest.Embeddings("oracle", inputs), cancellationToken);
        if (!clean.Ok || clean.Embeddings.Count != inputs.Count)
        {
            return null;
        }

        var sum = 0.0;
        for (var i = 0; i < inputs.Count; i++)
        {
            sum += VectorOps.Cosine(VectorOps.ToDouble(response.Embeddings[i]), VectorOps.ToDouble(clean.Embeddings[i]));
        }

        return sum / inputs.Count;
    }

    private static List<string> Inputs(JsonObject body) => body["input"] switch
    {
        JsonArray array => [.. array.Select(n => n?.GetValue<string>() ?? string.Empty)],
        JsonValue value => [value.GetValue<string>()],
        _ => [],
    };
}
