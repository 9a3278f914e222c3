using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Statistics;

namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// The statistical core of LLM dataset inference (Maini et al. 2024): each set is shuffled and halved; a linear
/// (logistic) model learns, on the first halves, to tell suspect rows (label 1) from held-out rows (label 0) by their
/// membership features (<see cref="FeatureScaler"/> preprocessing); it scores the second halves; a one-sided Welch
/// t-test asks whether suspect scores exceed held-out scores. Training and testing on disjoint halves is what keeps
/// the test honest: on two sets from the same distribution the model learns noise and the p-value is uniform.
/// </summary>
public static class DatasetInferenceTest
{
    /// <summary>Runs the test on feature rows (names parallel to each row's values).</summary>
    public static DatasetInferenceResult Run(IReadOnlyList<double[]> suspect, IReadOnlyList<double[]> heldout, IReadOnlyList<string> featureNames, DatasetInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(suspect);
        ArgumentNullException.ThrowIfNull(heldout);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(options);
        if (suspect.Count < DatasetInferenceOptions.MinDocuments || heldout.Count < DatasetInferenceOptions.MinDocuments)
        {
            throw new ArgumentException($"Each set needs at least {DatasetInferenceOptions.MinDocuments} documents.");
        }

        if (suspect.Concat(heldout).Any(r => r.Length != featureNames.Count))
        {
            throw new ArgumentException("Every row needs one value per feature name.", nameof(featureNames));
        }

        var (trainSuspect, testSuspect) = Halve(suspect, options.Seed, 1);
        var (trainHeldout, testHeldout) = Halve(heldout, options.Seed, 2);
        var scaler = FeatureScaler.Fit([.. trainSuspect, .. trainHeldout], options.ClipFraction);
        if (scaler.Kept.Count == 0)
        {
            throw new ArgumentException("No feature varies across the training rows.");
        }

        var rows = trainSuspect.Concat(trainHeldout).Select(scaler.Transform).ToList();
        var labels = trainSuspect.Select(_ => true).Concat(trainHeldout.Select(_ => false)).ToList();
        var model = LogisticRegression.Fit(rows, labels, options.Ridge);
        var suspectScores = testSuspect.Select(r => model.Score(scaler.Transform(r))).ToArray();
        var heldoutScores = testHeldout.Select(r => model.Score(scaler.Transform(r))).ToArray();

        var full = WelchTTest.Greater(suspectScores, heldoutScores);
        var bySize = new List<SampleSizePValue>();
        foreach (var n in options.SampleSizes.Where(n => n >= 2 && n <= Math.Min(suspectScores.Length, heldoutScores.Length)))
        {
            bySize.Add(new SampleSizePValue(n, PValue(suspectScores.AsSpan(0, n), heldoutScores.AsSpan(0, n))));
        }

        var weights = scaler.Kept.Select((column, i) => new FeatureWeight(featureNames[column], model.Weights[i])).ToList();
        return new DatasetInferenceResult(full.PValue, full.T, full.EffectSize, suspectScores.Length, heldoutScores.Length, bySize, weights);
    }

    /// <summary>The rows shuffled with a seeded generator and cut into two halves (the first gets the odd one).</summary>
    public static (List<T> First, List<T> Second) Halve<T>(IReadOnlyList<T> rows, ulong seed, long stream)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var order = rows.ToArray();
        new DeterministicRandom(DeterministicRandom.Derive((long)seed, stream)).Shuffle(order.AsSpan());

        var half = (order.Length + 1) / 2;
        return ([.. order[..half]], [.. order[half..]]);
    }

    // A sample whose scores are all equal (tiny n) has no variance: report p = 1 rather than fail.
    private static double PValue(ReadOnlySpan<double> suspect, ReadOnlySpan<double> heldout)
    {
        try
        {
            return WelchTTest.Greater(suspect, heldout).PValue;
        }
        catch (ArgumentException)
        {
            return 1.0;
        }
    }
}

/// <summary>The outcome of <see cref="DatasetInferenceTest"/>.</summary>
/// <param name="PValue">One-sided Welch p-value over all test rows.</param>
/// <param name="T">Its t statistic.</param>
/// <param name="EffectSize">Cohen's d of suspect vs held-out test scores.</param>
/// <param name="SuspectTested">Suspect rows scored (the second half).</param>
/// <param name="HeldoutTested">Held-out rows scored.</param>
/// <param name="PValuesBySampleSize">The p-value using only the first n test rows of each set.</param>
/// <param name="Weights">The linear model's weight per kept feature.</param>
public sealed record DatasetInferenceResult(
    double PValue, double T, double EffectSize, int SuspectTested, int HeldoutTested,
    IReadOnlyList<SampleSizePValue> PValuesBySampleSize, IReadOnlyList<FeatureWeight> Weights);

/// <summary>The p-value with <paramref name="N"/> test documents per set.</summary>
/// <param name="N">Documents per set.</param>
/// <param name="PValue">One-sided Welch p-value.</param>
public readonly record struct SampleSizePValue(int N, double PValue);

/// <summary>A feature's weight in the linear model (on z-normalised values).</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Weight">Weight.</param>
public readonly record struct FeatureWeight(string Feature, double Weight);
