using System.Collections.Concurrent;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Labels;

namespace GenSafety.Traffic.Tests.TestSupport;

/// <summary>
/// A deterministic stand-in target: chat answers and embeddings are functions of the prompt, so the same requests
/// always get the same answers. Clients listed in <see cref="BlockAfter"/> get <c>403 client_blocked</c> once they
/// have sent that many requests.
/// </summary>
internal sealed class FakeTransport : ITrafficTransport
{
    private readonly ConcurrentDictionary<string, int> _sent = new();

    public ConcurrentDictionary<string, int> BlockAfter { get; } = new();

    public ConcurrentBag<(TrafficClient Client, TrafficRequest Request)> Seen { get; } = [];

    public Task<TrafficResponse> SendAsync(TrafficClient client, TrafficRequest request, CancellationToken cancellationToken)
    {
        Seen.Add((client, request));
        var count = _sent.AddOrUpdate(client.Id, 1, (_, c) => c + 1);
        if (BlockAfter.TryGetValue(client.Id, out var limit) && count > limit)
        {
            return Task.FromResult(new TrafficResponse { Status = 403, ErrorCode = "client_blocked" });
        }

        var digest = RequestShape.Digest(request.PromptText);
        if (request.Route == TrafficRoute.Embeddings)
        {
            var inputs = request.PromptText.Split('\n');
            return Task.FromResult(new TrafficResponse
            {
                Status = 200,
                Embeddings = [.. inputs.Select(i => RequestShape.Digest(i).Select(c => (float)c / 100).ToArray())],
            });
        }

        return Task.FromResult(new TrafficResponse
        {
            Status = 200,
            Content = "Answer " + digest[..6] + ". Fix the seal first. Then test the water flow twice.",
            FinishReason = "stop",
            CompletionTokens = 12,
        });
    }
}
