using GenSafety.Detectors.DatasetInference;

namespace GenSafety.Detectors.Tests.DatasetInference;

public sealed class MembershipFeaturesTests
{
    private static double Feature(double[] features, string name) => features[MembershipFeatures.Names.ToList().IndexOf(name)];

    [Fact]
    public void LossAndMinKAndMaxK_AreMeansOverTheSortedLogprobs()
    {
        // 10 tokens: logprobs −1 … −10.
        var tokens = Enumerable.Range(1, 10).Select(i => new ScoredToken(-i)).ToList();
        var features = MembershipFeatures.Compute("some text", tokens);
        Assert.Equal(5.5, Feature(features, MembershipFeatures.Loss), 1e-12);
        Assert.Equal(10.0, Feature(features, "min-k-5"), 1e-12);        // ⌈0.05·10⌉ = 1 lowest: −10
        Assert.Equal(9.5, Feature(features, "min-k-20"), 1e-12);        // −10, −9
        Assert.Equal(8.0, Feature(features, "min-k-50"), 1e-12);        // −10 … −6
        Assert.Equal(1.5, Feature(features, "max-k-20"), 1e-12);        // −1, −2
        Assert.Equal(5.5 / MembershipFeatures.ZlibBytes("some text"), Feature(features, MembershipFeatures.Zlib), 1e-12);
        Assert.True(double.IsNaN(Feature(features, MembershipFeatures.MinKPlusPlusExact)));
        Assert.True(double.IsNaN(Feature(features, MembershipFeatures.MinKPlusPlusTopK)));
    }

    [Fact]
    public void MinKPlusPlus_FromTheFullDistributionAsTopK_EqualsTheExactMoments()
    {
        // Three-token vocabulary; the "top-k" lists carry the whole distribution, so the approximation is exact.
        double[][] distributions = [[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.9, 0.05, 0.05], [0.4, 0.4, 0.2], [0.6, 0.3, 0.1]];
        int[] chosen = [0, 2, 1, 1, 0];
        var tokens = distributions.Select((p, i) =>
        {
            var logs = p.Select(x => Math.Log(x)).ToArray();
            var mean = p.Zip(logs, (a, l) => a * l).Sum();
            var deviation = Math.Sqrt(p.Zip(logs, (a, l) => a * l * l).Sum() - (mean * mean));
            return new ScoredToken(logs[chosen[i]], logs, new DistributionMoments(mean, deviation));
        }).ToList();
        var features = MembershipFeatures.Compute("text", tokens);
        var exact = Feature(features, MembershipFeatures.MinKPlusPlusExact);
        Assert.Equal(exact, Feature(features, MembershipFeatures.MinKPlusPlusTopK), 1e-9);

        // Lowest 20% of 5 tokens = 1 token: the smallest z-score, computed by hand here.
        var z = tokens.Select(t => (t.Logprob - t.Moments!.Value.Mean) / t.Moments.Value.StandardDeviation).Min();
        Assert.Equal(z, exact, 1e-12);
    }

    [Fact]
    public void MinKPlusPlus_FromTruncatedTopK_IsAnApproximation()
    {
        // A long tail the top-2 does not see: the approximation differs from the exact value.
        var probabilities = new[] { 0.5, 0.2 }.Concat(Enumerable.Repeat(0.3 / 30, 30)).ToArray();
        var logs = probabilities.Select(x => Math.Log(x)).ToArray();
        var mean = probabilities.Zip(logs, (a, l) => a * l).Sum();
        var deviation = Math.Sqrt(probabilities.Zip(logs, (a, l) => a * l * l).Sum() - (mean * mean));
        var token = new ScoredToken(logs[1], logs[..2], new DistributionMoments(mean, deviation));
        var features = MembershipFeatures.Compute("text", [token, token]);
        Assert.NotEqual(Feature(features, MembershipFeatures.MinKPlusPlusExact), Feature(features, MembershipFeatures.MinKPlusPlusTopK), 3);
    }

    [Fact]
    public void Compute_RefusesNoTokensAndNonNumbers_FloorsZeroProbabilities()
    {
        Assert.Throws<ArgumentException>(() => MembershipFeatures.Compute("x", []));
        Assert.Throws<ArgumentException>(() => MembershipFeatures.Compute("x", [new ScoredToken(double.NaN)]));
        var floored = MembershipFeatures.Compute("x", [new ScoredToken(double.NegativeInfinity), new ScoredToken(-1)]);
        Assert.Equal(25.5, Feature(floored, MembershipFeatures.Loss), 1e-12);
    }
}
