using GenSafety.Detectors.Embeddings;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// The prompt embedder of each tenant (<c>GenSafety:Detection:Tenants:{tenant}:Embedder</c>, else
/// <c>GenSafety:Detection:Embedder</c>), resolved from the detectors library's keyed <see cref="ITextEmbedder"/>s.
/// <see cref="Load"/> resolves every configured one at start-up, so MiniLM loads (and reports its ONNX Runtime
/// execution provider) before traffic arrives, and a broken model fails the start instead of the first batch.
/// </summary>
internal sealed class DetectionEmbedders
{
    private readonly IServiceProvider _services;
    private readonly DetectionOptions _options;

    public DetectionEmbedders(IServiceProvider services, IOptions<DetectionOptions> options)
    {
        _services = services;
        _options = options.Value;
    }

    /// <summary>Every embedder name configuration uses (the default first).</summary>
    public IReadOnlyList<string> Configured =>
        [.. new[] { _options.Embedder }.Concat(_options.Tenants.Values.Select(t => t.Embedder).OfType<string>()).Distinct(StringComparer.Ordinal)];

    /// <summary>The execution provider of MiniLM when configuration uses it (<c>CPU</c> or <c>CUDA</c>), else null.</summary>
    public string? MiniLmExecutionProvider => Configured.Contains(EmbedderNames.MiniLm)
        ? _services.GetRequiredService<MiniLmEmbedder>().ExecutionProvider
        : null;

    /// <summary>Resolves (and so loads) every configured embedder.</summary>
    public void Load()
    {
        foreach (var name in Configured)
        {
            _ = Resolve(name);
        }
    }

    /// <summary>The embedder name for <paramref name="tenant"/>.</summary>
    public string NameFor(string tenant) => _options.EmbedderFor(tenant);

    /// <summary>The embedder called <paramref name="name"/>.</summary>
    public ITextEmbedder Resolve(string name) => _services.GetRequiredKeyedService<ITextEmbedder>(name);
}
