using System.Globalization;
using System.Text;
using GenSafety.Detectors.Training.Dataset;
using GenSafety.Detectors.Training.Model;
using GenSafety.Gateway.Detection.Learned;
using GenSafety.Traffic.Attacks;

namespace GenSafety.Detectors.Training.Evaluation;

/// <summary>
/// Leave-one-attack-family-out: for each family, a model trained on the training dataset without that family's
/// attacker keys is scored on the test dataset's benign clients and that family's keys, against the analytic fusion on
/// the same clients. A last row trains on every family (the in-distribution figure).
/// </summary>
internal static class FamilyHoldout
{
    /// <summary>The rows of the table, one per held-out family and one with all families.</summary>
    public static List<HoldoutRow> Run(LearnedDataset train, LearnedDataset test, TrainingOptions options, double benignFpr, TextWriter? log)
    {
        var rows = new List<HoldoutRow>();
        foreach (var family in AttackFamilies.All.Append("none"))
        {
            var trainRows = train.Rows.Where(r => !r.Attack || r.Family != family).ToList();
            var testRows = test.Rows.Where(r => !r.Attack || family == "none" || r.Family == family).ToList();
            log?.WriteLine($"== held out: {family} ({trainRows.Count} training rows, {testRows.Count} test rows)");
            var result = Trainer.Train(trainRows, train.Window, options, log);
            var learned = Predict(result.Network, testRows, train.Window);
            rows.Add(new HoldoutRow(
                family,
                ClientScores.Figures(ClientScores.Traces(testRows, learned), benignFpr),
                ClientScores.Figures(ClientScores.Traces(testRows, [.. testRows.Select(r => r.AnalyticRisk)]), benignFpr)));
        }

        return rows;
    }

    /// <summary>The network's score of every row.</summary>
    public static double[] Predict(ScorerNetwork network, IReadOnlyList<DatasetRow> rows, int window)
    {
        var scores = new double[rows.Count];
        const int Chunk = 4096;
        for (var start = 0; start < rows.Count; start += Chunk)
        {
            var count = Math.Min(Chunk, rows.Count - start);
            var stride = window * LearnedFeatures.Count;
            var data = new float[count * stride];
            for (var i = 0; i < count; i++)
            {
                rows[start + i].Window.CopyTo(data, i * stride);
            }

            var predicted = network.Predict(data, count, window, LearnedFeatures.Count);
            for (var i = 0; i < count; i++)
            {
                scores[start + i] = predicted[i];
            }
        }

        return scores;
    }

    /// <summary>The table as markdown.</summary>
    public static string Markdown(IReadOnlyList<HoldoutRow> rows, double benignFpr)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(c, $"| held-out family | keys | ROC AUC learned | ROC AUC analytic | detected at benign FPR ≤ {benignFpr:P1}: learned | analytic | median queries to detection: learned | analytic |"));
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            var l = row.Learned;
            var a = row.Analytic;
            text.AppendLine(string.Create(c,
                $"| {(row.Family == "none" ? "none (all families in training)" : row.Family)} | {l.AttackClients} | {l.Auc:F3} | {a.Auc:F3} | {l.Detected}/{l.AttackClients} ({l.DetectionRate:P0}) | {a.Detected}/{a.AttackClients} ({a.DetectionRate:P0}) | {Queries(l)} | {Queries(a)} |"));
        }

        var benign = rows.Count > 0 ? rows[0].Learned.BenignClients : 0;
        text.AppendLine(string.Create(c, $"\nBenign test clients: {benign}; thresholds are set per row so that at most {Math.Floor(benignFpr * benign):0} of them reach it."));
        return text.ToString();
    }

    private static string Queries(DetectionFigures figures) => figures.MedianQueries?.ToString(CultureInfo.InvariantCulture) ?? "—";
}

/// <summary>One row of the leave-one-family-out table.</summary>
/// <param name="Family">Held-out family, or <c>none</c>.</param>
/// <param name="Learned">The learned model's figures.</param>
/// <param name="Analytic">The analytic fusion's figures.</param>
internal sealed record HoldoutRow(string Family, DetectionFigures Learned, DetectionFigures Analytic);
