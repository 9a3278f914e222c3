using System.Net;

namespace GenSafety.LoadTests.ProofOfWork;

/// <summary>
/// Reference client side of the proof-of-work protocol as an <see cref="HttpClient"/> handler: when the gateway
/// answers <c>429</c> with an <c>x-gensafety-challenge</c> header, it solves the challenge with
/// <see cref="ProofOfWorkSolver"/> and resends the same request with <c>x-gensafety-pow: &lt;token&gt;:&lt;nonce&gt;</c>.
/// A plain <c>429 rate_limited</c> (no challenge header) is passed through. Works under any client that accepts an
/// <see cref="HttpClient"/>, the official OpenAI .NET client included (<c>HttpClientPipelineTransport</c>).
/// </summary>
public sealed class ProofOfWorkHandler : DelegatingHandler
{
    /// <summary>Challenge header the gateway sends.</summary>
    public const string ChallengeHeader = "x-gensafety-challenge";

    /// <summary>Proof header the client sends back.</summary>
    public const string ProofHeader = "x-gensafety-pow";

    /// <summary>Creates the handler over <paramref name="inner"/>; <paramref name="maxAttempts"/> bounds solve-and-resend rounds.</summary>
    public ProofOfWorkHandler(HttpMessageHandler inner, int maxAttempts = 2)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        MaxAttempts = maxAttempts;
    }

    /// <summary>How many challenges one request may solve before the 429 is returned as is.</summary>
    public int MaxAttempts { get; }

    /// <summary>Challenges solved so far (all requests).</summary>
    public int Solved => _solved;

    /// <summary>Total hashes computed so far (all requests).</summary>
    public long Hashes => Interlocked.Read(ref _hashes);

    private int _solved;
    private long _hashes;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The body must be re-sendable: buffer it once.
        byte[]? body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var contentHeaders = request.Content?.Headers.ToList();
        for (var attempt = 0; ; attempt++)
        {
            if (body is not null)
            {
                var content = new ByteArrayContent(body);
                foreach (var header in contentHeaders!)
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = content;
            }

            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= MaxAttempts
                || !response.Headers.TryGetValues(ChallengeHeader, out IEnumerable<string>? values))
            {
                return response;
            }

            (string token, int bits) = ProofOfWorkSolver.ParseChallenge(values.First());
            (string nonce, long hashes) = await Task.Run(
                () =>
                {
                    string found = ProofOfWorkSolver.Solve(token, bits, 1, out long count, cancellationToken);
                    return (found, count);
                },
                cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _hashes, hashes);
            Interlocked.Increment(ref _solved);
            response.Dispose();
            request.Headers.Remove(ProofHeader);
            request.Headers.TryAddWithoutValidation(ProofHeader, ProofOfWorkSolver.ProofHeader(token, nonce));
        }
    }
}
