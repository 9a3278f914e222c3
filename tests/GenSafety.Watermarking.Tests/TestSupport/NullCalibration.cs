using System.Globalization;
using GenSafety.Watermarking.Statistics;

namespace GenSafety.Watermarking.Tests.TestSupport;

/// <summary>
/// Compares false positives on unmarked text with what the exact null model predicts: a test with n scored positions
/// flags with probability P(X ≥ c(n)) ≤ α (the binomial test is discrete, so usually below α).
/// </summary>
internal static class NullCalibration
{
    public static double ExpectedFalsePositives(IEnumerable<WatermarkTestResult> results, double alpha) =>
        results.Sum(r => r.Scored == 0 ? 0 : BinomialTail.UpperTail(r.Scored, BinomialTail.CriticalCount(r.Scored, r.NullRate, alpha), r.NullRate));

    /// <summary>For tests whose positions differ in null rate: the exact size is still at most α.</summary>
    public static void AssertAtMostAlpha(IReadOnlyList<WatermarkTestResult> results, double[] alphas)
    {
        foreach (var alpha in alphas)
        {
            var observed = results.Count(r => r.PValue <= alpha);
            var bound = alpha * results.Count;
            Assert.True(observed <= bound + (5 * Math.Sqrt(bound)) + 3, $"α={alpha}: {observed} flagged of {results.Count}");
        }
    }

    public static string Report(IReadOnlyList<WatermarkTestResult> results, double[] alphas, bool exact = true)
    {
        var z = results.Where(r => r.Scored > 0).Select(r => r.Z).ToArray();
        var mean = z.Average();
        var sd = Math.Sqrt(z.Sum(v => (v - mean) * (v - mean)) / (z.Length - 1));
        var parts = alphas.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"α={a:0.###E0}: {results.Count(r => r.PValue <= a)} flagged (FPR {results.Count(r => r.PValue <= a) / (double)results.Count:0.##E0}, {(exact ? $"exact null expects {ExpectedFalsePositives(results, a):F1}" : $"bound {a * results.Count:F1}")})"));
        return string.Create(CultureInfo.InvariantCulture, $"z mean {mean:F3} sd {sd:F3}, mean scored {results.Average(r => r.Scored):F1}; ") + string.Join("; ", parts);
    }

    public static void AssertMatchesNull(IReadOnlyList<WatermarkTestResult> results, double[] alphas)
    {
        foreach (var alpha in alphas)
        {
            var observed = results.Count(r => r.PValue <= alpha);
            var expected = ExpectedFalsePositives(results, alpha);
            Assert.True(expected <= alpha * results.Count, "the exact test's size never exceeds α");
            // Poisson: more than 5 sd (+3 for small counts) above the null expectation means the null model is wrong.
            Assert.True(observed <= expected + (5 * Math.Sqrt(expected)) + 3, $"α={alpha}: {observed} flagged, null expects {expected:F1}");
        }
    }
}
