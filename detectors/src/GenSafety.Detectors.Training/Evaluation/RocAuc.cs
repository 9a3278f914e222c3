namespace GenSafety.Detectors.Training.Evaluation;

/// <summary>ROC AUC: the probability that a random positive scores above a random negative (ties count half).</summary>
internal static class RocAuc
{
    /// <summary>AUC of <paramref name="scores"/> against <paramref name="positive"/>; NaN without both classes.</summary>
    public static double Compute(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
        => Compute(scores.Select(s => (double)s).ToArray(), positive);

    /// <summary>AUC of <paramref name="scores"/> against <paramref name="positive"/>; NaN without both classes.</summary>
    public static double Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = positive.Count(p => p), negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        // Mann-Whitney U from mid-ranks.
        double rankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (positive[order[k]])
                {
                    rankSum += rank;
                }
            }

            i = j + 1;
        }

        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
