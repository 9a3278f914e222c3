using System.Diagnostics;
using GenSafety.Detectors.Embeddings;

namespace GenSafety.DetectorBenchmarks.Pipeline;

/// <summary>An embedder that forwards to the real one and adds the time each call took to its total.</summary>
internal sealed class TimedTextEmbedder(ITextEmbedder inner) : ITextEmbedder
{
    private long _ticks;

    /// <summary>Time spent embedding so far.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    public string Name => inner.Name;

    public int Dimensions => inner.Dimensions;

    public async ValueTask<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await inner.EmbedAsync(texts, cancellationToken);
        }
        finally
        {
            _ticks += Stopwatch.GetTimestamp() - start;
        }
    }
}
