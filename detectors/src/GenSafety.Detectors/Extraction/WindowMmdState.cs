namespace GenSafety.Detectors.Extraction;

/// <summary>
/// One client's window-MMD state: the latest m query vectors, each with its cached kernel sum against the reference,
/// and the kernel sum over the window's distinct pairs, so that an observation costs n + 2m kernel values instead of
/// the (n + m)·m of a full recomputation.
/// </summary>
public sealed class WindowMmdState : DetectorState
{
    internal WindowMmdState(int windowSize, int dimensions)
    {
        Window = new QuantizedVectorSet(windowSize, dimensions);
        CrossSums = new double[windowSize];
    }

    /// <summary>Vectors in the window.</summary>
    public int WindowCount => Window.Count;

    internal QuantizedVectorSet Window { get; }

    /// <summary>Per slot: Σⱼ k(xᵢ, yⱼ) over the reference.</summary>
    internal double[] CrossSums { get; }

    /// <summary>Σ over unordered window pairs of k(xᵢ, xⱼ).</summary>
    internal double PairSum { get; set; }

    /// <summary><see cref="MmdReference.Id"/> the cached sums were computed against.</summary>
    internal uint ReferenceId { get; set; }
}
