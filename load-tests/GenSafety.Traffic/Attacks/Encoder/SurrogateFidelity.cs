using GenSafety.Traffic.Linear;

namespace GenSafety.Traffic.Attacks.Encoder;

/// <summary>A text and the embedding a target returned for it.</summary>
/// <param name="Text">The input.</param>
/// <param name="Embedding">What came back (possibly noised by the gateway).</param>
public sealed record EmbeddingPair(string Text, float[] Embedding);

/// <summary>How well a surrogate imitates the victim encoder on texts it was not fitted on.</summary>
/// <param name="MeanCosine">Mean cosine similarity between the surrogate's and the clean encoder's embeddings of the held-out texts.</param>
/// <param name="MeanEmbeddingCosine">The same for a "surrogate" that always answers the mean of the training embeddings: the floor any fit must beat (embeddings of one language share a large common direction).</param>
/// <param name="Lambda">Ridge penalty chosen on a validation split of the training pairs.</param>
/// <param name="TrainPairs">Pairs the surrogate was fitted on.</param>
/// <param name="HeldOut">Held-out texts scored.</param>
public sealed record FidelityResult(double MeanCosine, double MeanEmbeddingCosine, double Lambda, int TrainPairs, int HeldOut);

/// <summary>
/// The A4 measurement: fit a ridge-regression surrogate from the attacker's cheap features to the embeddings the
/// target returned, then score it on held-out texts against clean embeddings. Fit once on pairs from an
/// undefended run and once on pairs from a degraded client (B4B noise): the drop in mean cosine is what the
/// defence took from the attacker. The penalty is chosen from <see cref="Lambdas"/> on a 20 % validation split,
/// as an attacker would.
/// </summary>
public static class SurrogateFidelity
{
    /// <summary>Ridge penalties tried.</summary>
    public static IReadOnlyList<double> Lambdas { get; } = [0.01, 0.1, 1, 10];

    /// <summary>Fits on <paramref name="train"/> and scores on <paramref name="heldOut"/> (whose embeddings must be clean).</summary>
    public static FidelityResult Measure(IReadOnlyList<EmbeddingPair> train, IReadOnlyList<EmbeddingPair> heldOut, CharNGramFeatures features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(train.Count, 5);
        var inputs = train.Select(p => features.Transform(p.Text)).ToList();
        var targets = train.Select(p => VectorOps.ToDouble(p.Embedding)).ToList();
        var split = train.Count - Math.Max(1, train.Count / 5);
        var best = (Lambda: Lambdas[0], Score: double.NegativeInfinity);
        foreach (var lambda in Lambdas)
        {
            var model = RidgeRegression.Fit(inputs[..split], targets[..split], lambda);
            var score = MeanCosine(model, inputs[split..], targets[split..]);
            if (score > best.Score)
            {
                best = (lambda, score);
            }
        }

        var surrogate = RidgeRegression.Fit(inputs, targets, best.Lambda);
        var clean = heldOut.Select(p => VectorOps.ToDouble(p.Embedding)).ToList();
        var fidelity = MeanCosine(surrogate, [.. heldOut.Select(p => features.Transform(p.Text))], clean);
        var mean = new double[targets[0].Length];
        foreach (var target in targets)
        {
            for (var i = 0; i < mean.Length; i++)
            {
                mean[i] += target[i] / targets.Count;
            }
        }

        return new FidelityResult(fidelity, clean.Average(c => VectorOps.Cosine(mean, c)), best.Lambda, train.Count, heldOut.Count);
    }

    /// <summary>Mean cosine between the model's predictions for <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    public static double MeanCosine(RidgeRegression model, IReadOnlyList<double[]> inputs, IReadOnlyList<double[]> targets)
    {
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        var sum = 0.0;
        for (var i = 0; i < inputs.Count; i++)
        {
            sum += VectorOps.Cosine(model.Predict(inputs[i]), targets[i]);
        }

        return sum / inputs.Count;
    }
}
