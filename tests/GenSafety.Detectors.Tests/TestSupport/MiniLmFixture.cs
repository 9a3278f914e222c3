using GenSafety.Detectors.Embeddings;

namespace GenSafety.Detectors.Tests.TestSupport;

/// <summary>One CPU MiniLM embedder for a test class (loading takes about half a second).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        Embedder = MiniLmEmbedder.Create(new MiniLmEmbedderOptions { Provider = ExecutionProviderPreference.Cpu, MaxBatchSize = 4 });
    }

    public MiniLmEmbedder Embedder { get; }

    public void Dispose() => Embedder.Dispose();
}
