namespace GenSafety.Traffic.Api;

/// <summary>
/// Counts how often each request goes out. It sits under <see cref="GenSafety.LoadTests.ProofOfWork.ProofOfWorkHandler"/>,
/// which resends the same <see cref="HttpRequestMessage"/> after solving a challenge, so a count above 1 means
/// proof-of-work was paid for that request.
/// </summary>
public sealed class AttemptCountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>The option holding the count.</summary>
    public static readonly HttpRequestOptionsKey<int> Attempts = new("gensafety-traffic-attempts");

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(Attempts, out var count);
        request.Options.Set(Attempts, count + 1);
        return base.SendAsync(request, cancellationToken);
    }
}
