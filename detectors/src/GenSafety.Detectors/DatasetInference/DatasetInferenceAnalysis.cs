using System.Globalization;

namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// A complete dataset-inference report: the test (<see cref="DatasetInferenceTest"/>) and the controls every report
/// carries — the held-out set split against itself (must not be significant: otherwise the held-out documents are not
/// a usable control) and the bag-of-words classifier without the model (<see cref="BagOfWordsControl"/>: if it
/// separates the sets, they differ in distribution and the verdict is "confounded") — and a verdict sentence that
/// says what the numbers do and do not mean. Holm correction across one claimant's several reports is applied by
/// the caller (<see cref="Statistics.RankStatistics.HolmAdjust"/>), which knows the family of tests.
/// </summary>
public static class DatasetInferenceAnalysis
{
    /// <summary>Analyses scored documents: each has its text (for the bag-of-words control) and its feature row.</summary>
    public static DatasetInferenceReport Analyze(
        IReadOnlyList<ScoredDocument> suspect, IReadOnlyList<ScoredDocument> heldout, IReadOnlyList<string> featureNames, DatasetInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(suspect);
        ArgumentNullException.ThrowIfNull(heldout);
        ArgumentNullException.ThrowIfNull(options);
        var test = DatasetInferenceTest.Run([.. suspect.Select(d => d.Features)], [.. heldout.Select(d => d.Features)], featureNames, options);

        // Control 1: the held-out set against itself, same procedure (needs enough documents to halve twice).
        DatasetInferenceResult? selfTest = null;
        if (heldout.Count >= 2 * DatasetInferenceOptions.MinDocuments)
        {
            var (first, second) = DatasetInferenceTest.Halve(heldout, options.Seed, 21);
            selfTest = DatasetInferenceTest.Run([.. first.Select(d => d.Features)], [.. second.Select(d => d.Features)], featureNames, options);
        }

        var bagOfWords = BagOfWordsControl.Evaluate([.. suspect.Select(d => d.Text)], [.. heldout.Select(d => d.Text)], options.Seed);
        var (verdict, explanation) = Decide(test, selfTest, bagOfWords, options);
        return new DatasetInferenceReport(verdict, explanation, test, selfTest, bagOfWords, options.Alpha);
    }

    private static (DatasetInferenceVerdict, string) Decide(
        DatasetInferenceResult test, DatasetInferenceResult? selfTest, BagOfWordsResult bagOfWords, DatasetInferenceOptions options)
    {
        var p = Format(test.PValue);
        if (bagOfWords.Auroc >= options.ConfoundedAuroc && bagOfWords.PValue < options.Alpha)
        {
            return (DatasetInferenceVerdict.Confounded,
                $"Confounded: the two sets differ in distribution. A bag-of-words classifier that never queries the model tells them apart " +
                $"(AUROC {bagOfWords.Auroc.ToString("0.00", CultureInfo.InvariantCulture)}), so a difference in the model's likelihoods (p = {p}) may reflect topic or wording " +
                "rather than training use. Use held-out documents written like the suspect ones (same author, period and genre) and never published before the model's training cut-off.");
        }

        if (selfTest is { } self && self.PValue < options.Alpha)
        {
            return (DatasetInferenceVerdict.InvalidControl,
                $"Invalid control: the held-out documents tested against themselves came out significant (p = {Format(self.PValue)}), " +
                "so they are not a homogeneous sample and no conclusion about the suspect documents can be drawn from them.");
        }

        return test.PValue < options.Alpha
            ? (DatasetInferenceVerdict.EvidenceOfUse,
                $"Evidence of training use: the model finds the suspect documents more familiar than comparable unseen ones (one-sided p = {p} < {Format(options.Alpha)}, " +
                $"effect size d = {test.EffectSize.ToString("0.00", CultureInfo.InvariantCulture)}, {test.SuspectTested} + {test.HeldoutTested} documents tested). " +
                "This is statistical evidence about the set as a whole: it does not say which documents were used, does not show verbatim copying, " +
                "and assumes the held-out documents were never used and come from the same distribution (the controls found no sign otherwise).")
            : (DatasetInferenceVerdict.NoEvidence,
                $"No evidence of training use at level {Format(options.Alpha)} (one-sided p = {p}, {test.SuspectTested} + {test.HeldoutTested} documents tested). " +
                "This does not show that the documents were not used: membership signals through an API are weak, and more documents or documents seen " +
                "more often in training give the test more power.");
    }

    private static string Format(double p) => p.ToString(p < 1e-3 ? "0.##E+0" : "0.####", CultureInfo.InvariantCulture);
}

/// <summary>A document ready for the analysis: its text and its membership feature row.</summary>
/// <param name="Text">The document (or chunk) text.</param>
/// <param name="Features">Its features, parallel to the feature names.</param>
public sealed record ScoredDocument(string Text, double[] Features);

/// <summary>What the report concludes.</summary>
public enum DatasetInferenceVerdict
{
    /// <summary>The suspect set is significantly more familiar to the model; the controls pass.</summary>
    EvidenceOfUse,

    /// <summary>Not significant; the controls pass.</summary>
    NoEvidence,

    /// <summary>The bag-of-words control separates the sets: no conclusion.</summary>
    Confounded,

    /// <summary>The held-out set is significant against itself: no conclusion.</summary>
    InvalidControl,
}

/// <summary>A dataset-inference report.</summary>
/// <param name="Verdict">The conclusion.</param>
/// <param name="Explanation">What the result does and does not mean, in one paragraph.</param>
/// <param name="Test">The suspect-vs-held-out test.</param>
/// <param name="HeldoutSelfTest">The held-out-vs-held-out control (null with fewer than 16 held-out documents).</param>
/// <param name="BagOfWords">The bag-of-words control.</param>
/// <param name="Alpha">The significance level used.</param>
public sealed record DatasetInferenceReport(
    DatasetInferenceVerdict Verdict, string Explanation, DatasetInferenceResult Test, DatasetInferenceResult? HeldoutSelfTest, BagOfWordsResult BagOfWords, double Alpha);
