using GenSafety.Detectors.DatasetInference;
using GenSafety.Gateway.Proxy;
using GenSafety.Watermarking.Text.Lexical;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// Builds the prompt scorers of a job: the upstream (<see cref="DatasetInferenceServiceOptions.UpstreamAddress"/>, or
/// the first destination of the proxied cluster), with the gateway's upstream key, and the optional reference model.
/// </summary>
internal sealed class DatasetInferenceUpstream
{
    /// <summary>Name of the <see cref="HttpClient"/> the scorers use.</summary>
    public const string HttpClientName = "gensafety-dataset-inference";

    private readonly IHttpClientFactory _clients;
    private readonly DatasetInferenceServiceOptions _options;
    private readonly string? _apiKey;
    private readonly UpstreamRequestBudget _budget;

    public DatasetInferenceUpstream(
        IHttpClientFactory clients, IOptions<DatasetInferenceServiceOptions> options, IOptions<ProxyOptions> proxy, IConfiguration configuration, UpstreamRequestBudget budget)
    {
        _clients = clients;
        _options = options.Value;
        _apiKey = proxy.Value.ResolveUpstreamApiKey();
        _budget = budget;
        Address = _options.UpstreamAddress ?? ClusterAddress(configuration, _options.UpstreamCluster);
    }

    /// <summary>The upstream scored, or null when none is configured (jobs then fail with a clear error).</summary>
    public Uri? Address { get; }

    /// <summary>The extractor for one job (scoring progress reported to <paramref name="scored"/>).</summary>
    public DocumentFeatureExtractor CreateExtractor(string model, ulong seed, Action<int> scored)
    {
        var address = Address ?? throw new UpstreamScoringException(
            $"No upstream to score: set {DatasetInferenceServiceOptions.SectionName}:UpstreamAddress or a destination in ReverseProxy:Clusters:{_options.UpstreamCluster}.");
        var http = _clients.CreateClient(HttpClientName);
        var target = new UpstreamPromptScorer(http, address, model, _apiKey, _options.TopLogprobs, _options.RequestMoments, _options.BatchSize, _budget, scored);
        var reference = _options.ReferenceAddress is { } referenceAddress
            ? new UpstreamPromptScorer(http, referenceAddress, _options.ReferenceModel!, null, 0, false, _options.BatchSize, _budget, scored)
            : null;
        return new DocumentFeatureExtractor(target, _options.Perturbations, seed, reference, SynonymsFor(_options.Perturbations));
    }

    /// <summary>The shipped WordNet synonym map when <paramref name="perturbations"/> include <c>Synonym</c>, else null.</summary>
    public static IReadOnlyDictionary<string, string[]>? SynonymsFor(IReadOnlyList<TextPerturbationKind> perturbations)
        => perturbations.Contains(TextPerturbationKind.Synonym) ? SynonymMap.Value : null;

    // Built once: every job with the synonym perturbation shares it.
    private static readonly Lazy<IReadOnlyDictionary<string, string[]>> SynonymMap = new(() => SynonymLexicon.Shared.ToSynonymMap());

    private static Uri? ClusterAddress(IConfiguration configuration, string cluster)
    {
        var address = configuration.GetSection($"ReverseProxy:Clusters:{cluster}:Destinations").GetChildren().Select(d => d["Address"]).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a));
        return address is not null && Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var uri) ? uri : null;
    }
}
