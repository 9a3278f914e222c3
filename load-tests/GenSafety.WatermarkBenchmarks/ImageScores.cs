using GenSafety.Watermarking.Images;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>
/// Detection results of a set of images, with what ROC figures need. The score is the best candidate's tag-site
/// agreement (hits out of 1,024): the p-value is a decreasing function of it, but it is not clamped at p = 1, so
/// ranks among unmarked images stay informative.
/// </summary>
internal sealed class ImageScores(int count)
{
    private readonly int[] _hits = new int[count];
    private readonly double[] _pValues = new double[count];
    private readonly bool[] _detected = new bool[count];

    public int Count => _hits.Length;

    public void Set(int index, ImageWatermarkDetection detection)
    {
        _hits[index] = detection.Test.Hits;
        _pValues[index] = detection.PValue;
        _detected[index] = detection.Detected;
    }

    /// <summary>How many were judged marked at the analytic α.</summary>
    public int Detected => _detected.Count(d => d);

    public double SmallestP => _pValues.Min();

    public int HighestScore => _hits.Max();

    /// <summary>
    /// The score a positive must exceed for the empirical false-positive rate to stay at or below <paramref name="rate"/>:
    /// the ⌊rate·n⌋+1-th highest negative score (so at most ⌊rate·n⌋ negatives are above it).
    /// </summary>
    public int ThresholdAt(double rate)
    {
        var sorted = (int[])_hits.Clone();
        Array.Sort(sorted);
        Array.Reverse(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(rate * sorted.Length))];
    }

    /// <summary>Share of these scores strictly above <paramref name="threshold"/>.</summary>
    public double RateAbove(int threshold) => _hits.Count(h => h > threshold) / (double)_hits.Length;

    /// <summary>Area under the ROC curve of these (positives) against <paramref name="negatives"/> (Mann–Whitney, ties count ½).</summary>
    public double Auc(ImageScores negatives)
    {
        var sorted = (int[])negatives._hits.Clone();
        Array.Sort(sorted);
        var sum = 0.0;
        foreach (var h in _hits)
        {
            var below = LowerBound(sorted, h);
            var equal = LowerBound(sorted, h + 1) - below;
            sum += below + (0.5 * equal);
        }

        return sum / ((double)_hits.Length * sorted.Length);
    }

    public double MedianP()
    {
        var sorted = (double[])_pValues.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static int LowerBound(int[] sorted, int value)
    {
        var (lo, hi) = (0, sorted.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = sorted[mid] < value ? (mid + 1, hi) : (lo, mid);
        }

        return lo;
    }
}
