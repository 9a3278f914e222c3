namespace GenSafety.Detectors.Statistics;

/// <summary>Rank-based summaries of a two-class score: AUROC (the Mann–Whitney U over n₁n₀, ties counted half).</summary>
public static class RankStatistics
{
    /// <summary>
    /// The area under the ROC curve of <paramref name="positives"/> against <paramref name="negatives"/>: the
    /// probability that a random positive scores above a random negative, ties counting one half.
    /// </summary>
    public static double Auroc(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        if (positives.IsEmpty || negatives.IsEmpty)
        {
            throw new ArgumentException("Both classes need at least one score.");
        }

        var all = new (double Score, bool Positive)[positives.Length + negatives.Length];
        for (var i = 0; i < positives.Length; i++)
        {
            all[i] = (positives[i], true);
        }

        for (var i = 0; i < negatives.Length; i++)
        {
            all[positives.Length + i] = (negatives[i], false);
        }

        Array.Sort(all, static (a, b) => a.Score.CompareTo(b.Score));

        // Sum of the positives' mid-ranks (1-based), then U = R₁ − n₁(n₁+1)/2.
        var rankSum = 0.0;
        for (var start = 0; start < all.Length;)
        {
            var end = start;
            while (end + 1 < all.Length && all[end + 1].Score.Equals(all[start].Score))
            {
                end++;
            }

            var midRank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                rankSum += all[i].Positive ? midRank : 0;
            }

            start = end + 1;
        }

        var u = rankSum - (positives.Length * (positives.Length + 1) / 2.0);
        return u / ((double)positives.Length * negatives.Length);
    }

    /// <summary>
    /// Holm's step-down adjustment of <paramref name="pValues"/> (family-wise error control for several tests):
    /// the i-th smallest becomes max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎), returned in the input order.
    /// </summary>
    public static double[] HolmAdjust(ReadOnlySpan<double> pValues)
    {
        var order = new int[pValues.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var values = pValues.ToArray();
        Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
        var adjusted = new double[values.Length];
        var running = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            running = Math.Max(running, Math.Min(1, (values.Length - rank) * values[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }
}
