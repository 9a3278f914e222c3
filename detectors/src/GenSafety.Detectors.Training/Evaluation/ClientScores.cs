using GenSafety.Detectors.Training.Dataset;

namespace GenSafety.Detectors.Training.Evaluation;

/// <summary>
/// Client-level detection from per-step scores, as the gateway acts on them: risk is raise-only, so a client's score
/// is the highest of its steps, and it is detected at the first step whose score reaches the threshold.
/// </summary>
internal static class ClientScores
{
    /// <summary>Per client: label, highest score, and the (requests, score) of each step in order.</summary>
    public static List<ClientTrace> Traces(IReadOnlyList<DatasetRow> rows, IReadOnlyList<double> stepScores)
    {
        var traces = new Dictionary<string, ClientTrace>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var key = rows[i].Campaign + "/" + rows[i].Client;
            if (!traces.TryGetValue(key, out var trace))
            {
                trace = new ClientTrace(rows[i].Family, rows[i].Attack, []);
                traces.Add(key, trace);
            }

            trace.Steps.Add((rows[i].Requests, stepScores[i]));
        }

        return [.. traces.Values];
    }

    /// <summary>
    /// The detection figures of <paramref name="traces"/>: client ROC AUC, the threshold that keeps the benign clients'
    /// false-positive rate at or below <paramref name="benignFpr"/>, the attack clients detected at it and the median
    /// requests they sent until then.
    /// </summary>
    public static DetectionFigures Figures(IReadOnlyList<ClientTrace> traces, double benignFpr)
    {
        var maxima = traces.Select(t => t.Max).ToArray();
        var auc = RocAuc.Compute(maxima, traces.Select(t => t.Attack).ToArray());
        var benign = traces.Where(t => !t.Attack).Select(t => t.Max).OrderDescending().ToArray();
        // Flag above the benign score at rank floor(fpr · n): at most that many benign clients reach the threshold.
        var allowed = (int)Math.Floor(benignFpr * benign.Length);
        var threshold = benign.Length == 0 ? 0.5 : NextUp(benign[Math.Min(allowed, benign.Length - 1)]);
        var attacks = traces.Where(t => t.Attack).ToList();
        var queries = new List<int>();
        foreach (var attack in attacks)
        {
            var first = attack.Steps.FirstOrDefault(s => s.Score >= threshold);
            if (first != default)
            {
                queries.Add(first.Requests);
            }
        }

        queries.Sort();
        return new DetectionFigures(
            auc, threshold, attacks.Count, queries.Count, queries.Count == 0 ? null : queries[queries.Count / 2],
            benign.Length, benign.Count(b => b >= threshold));
    }

    private static double NextUp(double value) => Math.BitIncrement(value);
}

/// <summary>One client's steps.</summary>
/// <param name="Family">Persona or attack family.</param>
/// <param name="Attack">Whether it is an attacker key.</param>
/// <param name="Steps">Requests so far and score, per step.</param>
internal sealed record ClientTrace(string Family, bool Attack, List<(int Requests, double Score)> Steps)
{
    /// <summary>Its highest score.</summary>
    public double Max => Steps.Count == 0 ? 0 : Steps.Max(s => s.Score);
}

/// <summary>Detection figures at one benign false-positive rate.</summary>
/// <param name="Auc">Client-level ROC AUC (highest score per client).</param>
/// <param name="Threshold">The threshold meeting the false-positive rate.</param>
/// <param name="AttackClients">Attacker keys.</param>
/// <param name="Detected">Attacker keys reaching the threshold.</param>
/// <param name="MedianQueries">Median requests of detected keys until detection.</param>
/// <param name="BenignClients">Benign clients.</param>
/// <param name="FalsePositives">Benign clients reaching the threshold.</param>
internal sealed record DetectionFigures(double Auc, double Threshold, int AttackClients, int Detected, int? MedianQueries, int BenignClients, int FalsePositives)
{
    /// <summary>Share of attacker keys detected.</summary>
    public double DetectionRate => AttackClients == 0 ? double.NaN : (double)Detected / AttackClients;
}
