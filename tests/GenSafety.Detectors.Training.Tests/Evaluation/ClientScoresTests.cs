using GenSafety.Detectors.Training.Dataset;
using GenSafety.Detectors.Training.Evaluation;

namespace GenSafety.Detectors.Training.Tests.Evaluation;

public sealed class ClientScoresTests
{
    [Theory]
    [InlineData(new[] { 0.1, 0.2, 0.8, 0.9 }, new[] { false, false, true, true }, 1.0)]
    [InlineData(new[] { 0.9, 0.8, 0.2, 0.1 }, new[] { false, false, true, true }, 0.0)]
    [InlineData(new[] { 0.5, 0.5, 0.5, 0.5 }, new[] { false, true, false, true }, 0.5)]
    [InlineData(new[] { 0.1, 0.4, 0.35, 0.8 }, new[] { false, false, true, true }, 0.75)]
    public void RocAuc_KnownCases(double[] scores, bool[] positive, double expected)
        => Assert.Equal(expected, RocAuc.Compute(scores, positive), 9);

    [Fact]
    public void Figures_ThresholdAboveEveryBenignClient_QueriesAtFirstCrossing()
    {
        DatasetRow Row(string client, bool attack, int requests) => new("c", client, attack ? "A1" : "chat", attack, requests, 0, []);
        var rows = new[] { Row("b1", false, 1), Row("b1", false, 2), Row("b2", false, 1), Row("a1", true, 5), Row("a1", true, 9), Row("a2", true, 3) };
        var scores = new[] { 0.2, 0.4, 0.3, 0.35, 0.9, 0.1 };

        var figures = ClientScores.Figures(ClientScores.Traces(rows, scores), 0.001);

        Assert.True(figures.Threshold > 0.4);
        Assert.Equal((2, 1, 9, 0), (figures.AttackClients, figures.Detected, figures.MedianQueries, figures.FalsePositives));
        Assert.Equal(0.5, figures.Auc, 9);
    }
}
