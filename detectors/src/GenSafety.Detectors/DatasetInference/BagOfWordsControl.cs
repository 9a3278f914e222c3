using System.Text.RegularExpressions;
using GenSafety.Detectors.Statistics;

namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// The distribution-shift control of every dataset-inference report (after "SoK: Membership Inference Attacks on
/// LLMs are Rushing Nowhere"): a multinomial naive Bayes bag-of-words classifier — no model involved — tries to tell
/// suspect from held-out texts. Two-fold cross-fitting (each half scored by the classifier trained on the other)
/// gives an out-of-sample AUROC. When it is well above 0.5, the two sets differ in wording or topic, and any
/// membership signal may just be that difference.
/// </summary>
public static partial class BagOfWordsControl
{
    /// <summary>The cross-fitted AUROC and its one-sided p-value against 0.5 (normal approximation of Mann–Whitney).</summary>
    public static BagOfWordsResult Evaluate(IReadOnlyList<string> suspect, IReadOnlyList<string> heldout, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(suspect);
        ArgumentNullException.ThrowIfNull(heldout);
        if (suspect.Count < 2 || heldout.Count < 2)
        {
            throw new ArgumentException("Each set needs at least two texts.");
        }

        var (suspectA, suspectB) = DatasetInferenceTest.Halve(suspect, seed, 11);
        var (heldoutA, heldoutB) = DatasetInferenceTest.Halve(heldout, seed, 12);
        var suspectScores = new List<double>();
        var heldoutScores = new List<double>();
        foreach (var (trainS, trainH, testS, testH) in new[] { (suspectA, heldoutA, suspectB, heldoutB), (suspectB, heldoutB, suspectA, heldoutA) })
        {
            var classifier = NaiveBayes.Train(trainS, trainH);
            suspectScores.AddRange(testS.Select(classifier.Score));
            heldoutScores.AddRange(testH.Select(classifier.Score));
        }

        var auroc = RankStatistics.Auroc([.. suspectScores], [.. heldoutScores]);
        double n1 = suspectScores.Count, n0 = heldoutScores.Count;
        var standardError = Math.Sqrt((n1 + n0 + 1) / (12 * n1 * n0));
        return new BagOfWordsResult(auroc, StandardNormal.UpperTail((auroc - 0.5) / standardError));
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    private sealed class NaiveBayes
    {
        private readonly Dictionary<string, double> _logRatio;
        private readonly double _unseen;

        private NaiveBayes(Dictionary<string, double> logRatio, double unseen)
        {
            _logRatio = logRatio;
            _unseen = unseen;
        }

        public static NaiveBayes Train(IEnumerable<string> positive, IEnumerable<string> negative)
        {
            var (positiveCounts, positiveTotal) = Count(positive);
            var (negativeCounts, negativeTotal) = Count(negative);
            var vocabulary = positiveCounts.Keys.Union(negativeCounts.Keys).ToList();
            double v = vocabulary.Count + 1;
            var ratios = vocabulary.ToDictionary(
                w => w,
                w => Math.Log((positiveCounts.GetValueOrDefault(w) + 1) / (positiveTotal + v)) - Math.Log((negativeCounts.GetValueOrDefault(w) + 1) / (negativeTotal + v)));
            return new NaiveBayes(ratios, Math.Log(1 / (positiveTotal + v)) - Math.Log(1 / (negativeTotal + v)));
        }

        // Log-likelihood ratio of the text's words (equal class priors): positive means "looks like the suspect set".
        public double Score(string text) => Words(text).Sum(w => _logRatio.TryGetValue(w, out var r) ? r : _unseen);

        private static (Dictionary<string, int> Counts, double Total) Count(IEnumerable<string> texts)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var total = 0.0;
            foreach (var word in texts.SelectMany(Words))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
                total++;
            }

            return (counts, total);
        }

        private static IEnumerable<string> Words(string text) => WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);
    }
}

/// <summary>The bag-of-words control's outcome.</summary>
/// <param name="Auroc">Cross-fitted AUROC of suspect vs held-out.</param>
/// <param name="PValue">One-sided p-value of AUROC &gt; 0.5.</param>
public readonly record struct BagOfWordsResult(double Auroc, double PValue);
