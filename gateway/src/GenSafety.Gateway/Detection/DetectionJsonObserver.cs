using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Records what the detectors need from a buffered upstream response: the finish reasons (a byte scan) or, on the
/// embeddings route and only when an enabled detector reads returned embeddings, a copy of the body to parse off the
/// request path. Sees the upstream's own bytes, before any degrading transform.
/// </summary>
internal sealed class DetectionJsonObserver : IJsonResponseObserver
{
    private readonly bool _copiesEmbeddings;

    public DetectionJsonObserver(EnabledDetectors detectors) => _copiesEmbeddings = detectors.NeedReturnedEmbeddings;

    public void Observe(JsonResponseContext context, ReadOnlySpan<byte> body)
    {
        if (context.HttpContext.Features.Get<QueryObservation>() is not { } observation)
        {
            return;
        }

        if (observation.RouteKind == RouteKinds.Embeddings)
        {
            if (_copiesEmbeddings)
            {
                observation.EmbeddingsResponse = body.ToArray();
            }

            return;
        }

        FinishReasonScanner.Scan(body, observation);
    }
}
