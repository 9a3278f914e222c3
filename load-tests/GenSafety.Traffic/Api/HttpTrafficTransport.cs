using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using GenSafety.LoadTests.ProofOfWork;

namespace GenSafety.Traffic.Api;

/// <summary>
/// Sends requests over HTTP to an OpenAI-compatible target (the gateway, or the model directly). Plain
/// <see cref="HttpClient"/> and JSON, because the attacks need fields the typed client does not expose the way they
/// use them (token-id <c>logit_bias</c> maps with top logprobs on one token). With <c>solveProofOfWork</c> a
/// <c>429 challenge_required</c> is solved and the request resent, as a paying attacker would.
/// </summary>
public sealed class HttpTrafficTransport : ITrafficTransport, IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _target;
    private readonly ModelNames _models;

    /// <summary>A transport to <paramref name="target"/> (the root URL, for example <c>http://127.0.0.1:8080/</c>).</summary>
    public HttpTrafficTransport(Uri target, ModelNames models, TimeSpan requestTimeout, int maxConnections, bool solveProofOfWork)
    {
        _target = target.AbsoluteUri.EndsWith('/') ? target : new Uri(target.AbsoluteUri + "/");
        _models = models;
        HttpMessageHandler handler = new AttemptCountingHandler(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
        if (solveProofOfWork)
        {
            handler = new ProofOfWorkHandler(handler);
        }

        _http = new HttpClient(handler) { Timeout = requestTimeout };
    }

    /// <inheritdoc />
    public async Task<TrafficResponse> SendAsync(TrafficClient client, TrafficRequest request, CancellationToken cancellationToken)
    {
        var body = request.Body.DeepClone().AsObject();
        body.Insert(0, "model", request.Route == TrafficRoute.Embeddings ? _models.Embedding : _models.Chat);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(_target, TrafficRoutes.Path(request.Route)))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", client.ApiKey);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(message, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var degraded = response.Headers.TryGetValues("x-gensafety-degraded", out var values) ? string.Join(',', values) : null;
            message.Options.TryGetValue(AttemptCountingHandler.Attempts, out var attempts);
            return ResponseParser.Parse(request.Route, (int)response.StatusCode, text, latency, degraded, Math.Max(attempts, 1));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new TrafficResponse
            {
                Status = 0,
                ErrorCode = ex is TaskCanceledException ? "timeout" : "transport",
                LatencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            };
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>The model names the transport puts in each request.</summary>
/// <param name="Chat">Chat completions model.</param>
/// <param name="Embedding">Embeddings model.</param>
public sealed record ModelNames(string Chat, string Embedding)
{
    /// <summary>The reference model's ids.</summary>
    public static ModelNames Reference { get; } = new("reference-ngram", "reference-minilm");
}
