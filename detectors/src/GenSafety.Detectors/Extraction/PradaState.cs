namespace GenSafety.Detectors.Extraction;

/// <summary>
/// One client's PRADA state: the growing set G (bounded, first in first out), the recent minimum distances D, the
/// running mean and variance of the distances with which members joined G (for the threshold rule), the threshold
/// T and the latest Shapiro–Wilk W.
/// </summary>
public sealed class PradaState : DetectorState
{
    internal PradaState(int growingSetCapacity, int distanceCapacity, int dimensions)
    {
        GrowingSet = new QuantizedVectorSet(growingSetCapacity, dimensions);
        Distances = new Ring<float>(distanceCapacity);
    }

    /// <summary>Members of G kept (at most <see cref="PradaOptions.GrowingSetCapacity"/>).</summary>
    public int GrowingSetSize => GrowingSet.Count;

    /// <summary>Members that ever joined G, the first query included.</summary>
    public long MembersJoined { get; internal set; }

    /// <summary>Minimum distances kept in D.</summary>
    public int DistanceCount => Distances.Count;

    /// <summary>The threshold T a query's minimum distance must exceed to join G.</summary>
    public double JoinThreshold { get; internal set; }

    /// <summary>W of the latest Shapiro–Wilk test; null before the first.</summary>
    public double? LatestW => double.IsNaN(LastW) ? null : LastW;

    /// <summary>Distances tested by the latest test (after outlier removal); 0 before the first.</summary>
    public int LatestTestedCount { get; internal set; }

    /// <summary>The latest query's minimum distance to G; NaN before there was a G to measure against.</summary>
    public float LatestDistance { get; internal set; } = float.NaN;

    internal QuantizedVectorSet GrowingSet { get; }

    internal Ring<float> Distances { get; }

    /// <summary>Mean of the join distances (Welford).</summary>
    internal double JoinMean { get; set; }

    /// <summary>Sum of squared deviations of the join distances (Welford).</summary>
    internal double JoinM2 { get; set; }

    internal double LastW { get; set; } = double.NaN;

    /// <summary>Records that a member joined G at distance <paramref name="distance"/> and returns mean − population standard deviation.</summary>
    internal double Join(double distance)
    {
        MembersJoined++;
        var delta = distance - JoinMean;
        JoinMean += delta / MembersJoined;
        JoinM2 += delta * (distance - JoinMean);
        return JoinMean - Math.Sqrt(Math.Max(0.0, JoinM2 / MembersJoined));
    }
}
