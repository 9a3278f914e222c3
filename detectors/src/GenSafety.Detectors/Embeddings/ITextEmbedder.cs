namespace GenSafety.Detectors.Embeddings;

/// <summary>
/// Turns texts into unit-length vectors whose cosine similarity reflects how alike the texts are. Implementations
/// are thread-safe singletons; they are registered by <see cref="Name"/> (a keyed service), which configuration
/// uses to choose one per tenant.
/// </summary>
public interface ITextEmbedder
{
    /// <summary>The name configuration refers to (one of <see cref="EmbedderNames"/>).</summary>
    string Name { get; }

    /// <summary>Length of every vector this embedder returns.</summary>
    int Dimensions { get; }

    /// <summary>
    /// Embeds <paramref name="texts"/>; returns one vector of <see cref="Dimensions"/> floats per text, in order,
    /// each of unit L2 norm (or all zeros for a text with nothing to embed).
    /// </summary>
    ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
