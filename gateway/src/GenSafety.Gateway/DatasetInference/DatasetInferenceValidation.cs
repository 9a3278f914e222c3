using System.Globalization;
using System.Text;
using GenSafety.Detectors.DatasetInference;
using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Statistics;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// Validates dataset inference on a model whose training set is known (the reference model: members trained on 1–10
/// times, non-members from the same distribution never trained on). Every document is scored once; then
/// (1) members vs non-members at growing n; (2) non-members vs non-members over many random splits (false-positive
/// rate at α); (3) each single feature's AUROC by how often members were duplicated in training; (4) members vs
/// off-distribution text must come out "confounded".
/// </summary>
public static class DatasetInferenceValidation
{
    /// <summary>Runs the validation with an extractor over the model under test.</summary>
    public static async Task<ValidationResult> RunAsync(
        IReadOnlyList<(string Text, int Duplicates)> members, IReadOnlyList<string> nonMembers, DocumentFeatureExtractor extractor, ValidationSettings settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(nonMembers);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(settings);
        var offDistribution = OffDistributionText.Create(settings.OffDistributionDocuments, settings.Seed);
        var memberRows = await extractor.ExtractAsync([.. members.Select(m => m.Text)], cancellationToken).ConfigureAwait(false);
        var nonMemberRows = await extractor.ExtractAsync(nonMembers, cancellationToken).ConfigureAwait(false);
        var offRows = await extractor.ExtractAsync(offDistribution, cancellationToken).ConfigureAwait(false);
        var memberDocs = members.Select((m, i) => new ScoredDocument(m.Text, memberRows[i])).ToList();
        var nonMemberDocs = nonMembers.Select((t, i) => new ScoredDocument(t, nonMemberRows[i])).ToList();
        var offDocs = offDistribution.Select((t, i) => new ScoredDocument(t, offRows[i])).ToList();
        var names = extractor.FeatureNames;
        var options = new DatasetInferenceOptions { Seed = settings.Seed, Alpha = settings.Alpha };

        // (1) Members vs non-members at n documents per set (random subsets, the same seed).
        var power = new List<(int N, DatasetInferenceReport Report)>();
        foreach (var n in settings.SampleSizes.Where(n => n <= Math.Min(memberDocs.Count, nonMemberDocs.Count)))
        {
            var random = new DeterministicRandom(DeterministicRandom.Derive((long)settings.Seed, n));
            power.Add((n, DatasetInferenceAnalysis.Analyze(Sample(memberDocs, n, random), Sample(nonMemberDocs, n, random), names, options)));
        }

        // (2) Non-members split against themselves: disjoint random halves of a random subset, many times.
        var nullPValues = new List<double>();
        var splitRandom = new DeterministicRandom(DeterministicRandom.Derive((long)settings.Seed, 1_000_003));
        var splitSize = Math.Min(settings.SplitDocuments, nonMemberDocs.Count / 2);
        for (var split = 0; split < settings.Splits; split++)
        {
            var shuffled = Sample(nonMemberDocs, 2 * splitSize, splitRandom);
            var result = DatasetInferenceTest.Run(
                [.. shuffled.Take(splitSize).Select(d => d.Features)], [.. shuffled.Skip(splitSize).Select(d => d.Features)], names,
                options with { Seed = (ulong)split + 1 });
            nullPValues.Add(result.PValue);
        }

        // (3) Single-feature AUROC by duplication: members with a given duplicate count vs all non-members.
        var aurocs = new List<FeatureAuroc>();
        foreach (var feature in settings.AurocFeatures.Where(names.Contains))
        {
            var column = names.ToList().IndexOf(feature);
            var orientation = feature.StartsWith("min-k++", StringComparison.Ordinal) ? 1.0 : -1.0; // higher = more member-like
            var negatives = nonMemberRows.Select(r => orientation * r[column]).Where(double.IsFinite).ToArray();
            foreach (var group in settings.DuplicateGroups)
            {
                var positives = members.Select((m, i) => (m.Duplicates, Value: orientation * memberRows[i][column]))
                    .Where(p => p.Duplicates >= group.Min && p.Duplicates <= group.Max && double.IsFinite(p.Value)).Select(p => p.Value).ToArray();
                if (positives.Length > 0 && negatives.Length > 0)
                {
                    aurocs.Add(new FeatureAuroc(feature, group.Min, group.Max, positives.Length, RankStatistics.Auroc(positives, negatives)));
                }
            }
        }

        // (4) Members vs off-distribution text.
        var confoundedRandom = new DeterministicRandom(DeterministicRandom.Derive((long)settings.Seed, 2_000_003));
        var confounded = DatasetInferenceAnalysis.Analyze(
            Sample(memberDocs, Math.Min(memberDocs.Count, offDocs.Count), confoundedRandom), offDocs, names, options);

        return new ValidationResult(power, nullPValues, aurocs, confounded, settings.Alpha);
    }

    private static List<ScoredDocument> Sample(List<ScoredDocument> documents, int n, DeterministicRandom random)
    {
        var order = documents.ToArray();
        random.Shuffle(order.AsSpan());

        return [.. order.Take(n)];
    }
}

/// <summary>Sizes and seeds of <see cref="DatasetInferenceValidation"/>.</summary>
public sealed record ValidationSettings
{
    /// <summary>Seed of every random choice.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Significance level.</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Documents per set for the members-vs-non-members tests.</summary>
    public IReadOnlyList<int> SampleSizes { get; init; } = [10, 20, 50, 100];

    /// <summary>Random non-member splits for the false-positive rate.</summary>
    public int Splits { get; init; } = 200;

    /// <summary>Documents per side of a non-member split.</summary>
    public int SplitDocuments { get; init; } = 50;

    /// <summary>Off-distribution documents for the confounded pair.</summary>
    public int OffDistributionDocuments { get; init; } = 60;

    /// <summary>Features whose single AUROC is reported.</summary>
    public IReadOnlyList<string> AurocFeatures { get; init; } =
        [MembershipFeatures.Loss, MembershipFeatures.Zlib, "min-k-20", MembershipFeatures.MinKPlusPlusExact, MembershipFeatures.MinKPlusPlusTopK];

    /// <summary>Duplicate-count groups of members.</summary>
    public IReadOnlyList<(int Min, int Max)> DuplicateGroups { get; init; } = [(1, 1), (2, 3), (4, 6), (8, 10), (1, 10)];
}

/// <summary>What <see cref="DatasetInferenceValidation"/> measured.</summary>
/// <param name="Power">Members vs non-members: the report at each n.</param>
/// <param name="NullPValues">Non-member split p-values.</param>
/// <param name="Aurocs">Single-feature AUROC by duplicate group.</param>
/// <param name="Confounded">Members vs off-distribution text.</param>
/// <param name="Alpha">Significance level.</param>
public sealed record ValidationResult(
    IReadOnlyList<(int N, DatasetInferenceReport Report)> Power, IReadOnlyList<double> NullPValues, IReadOnlyList<FeatureAuroc> Aurocs,
    DatasetInferenceReport Confounded, double Alpha)
{
    /// <summary>Share of non-member splits significant at <paramref name="alpha"/>.</summary>
    public double FalsePositiveRate(double alpha) => NullPValues.Count == 0 ? double.NaN : NullPValues.Count(p => p < alpha) / (double)NullPValues.Count;

    /// <summary>The result as markdown tables.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("| members vs non-members, n per set | p-value | effect size d | verdict | bag-of-words AUROC | held-out self-test p |");
        text.AppendLine("| ---: | ---: | ---: | --- | ---: | ---: |");
        foreach (var (n, report) in Power)
        {
            text.AppendLine(c, $"| {n} | {report.Test.PValue:0.##E+0} | {report.Test.EffectSize:0.00} | {DatasetInferenceReportJson.Verdict(report.Verdict)} | {report.BagOfWords.Auroc:0.00} | {(report.HeldoutSelfTest is { } s ? s.PValue.ToString("0.###", c) : "—")} |");
        }

        text.AppendLine();
        text.AppendLine("| non-member vs non-member splits | α = 0.01 | α = 0.05 | α = 0.1 |");
        text.AppendLine("| ---: | ---: | ---: | ---: |");
        text.AppendLine(c, $"| {NullPValues.Count} | {FalsePositiveRate(0.01):0.###} | {FalsePositiveRate(0.05):0.###} | {FalsePositiveRate(0.1):0.###} |");
        text.AppendLine();
        var groups = Aurocs.Select(a => (a.MinDuplicates, a.MaxDuplicates)).Distinct().ToList();
        text.AppendLine("| feature | " + string.Join(" | ", groups.Select(g => g.MinDuplicates == g.MaxDuplicates ? $"×{g.MinDuplicates}" : $"×{g.MinDuplicates}–{g.MaxDuplicates}")) + " |");
        text.AppendLine("| --- |" + string.Concat(groups.Select(_ => " ---: |")));
        foreach (var feature in Aurocs.Select(a => a.Feature).Distinct())
        {
            text.AppendLine($"| {feature} | " + string.Join(" | ", groups.Select(g =>
                Aurocs.FirstOrDefault(a => a.Feature == feature && a.MinDuplicates == g.MinDuplicates && a.MaxDuplicates == g.MaxDuplicates) is { } a
                    ? a.Auroc.ToString("0.000", c) : "—")) + " |");
        }

        text.AppendLine();
        text.AppendLine(c, $"Members vs off-distribution text: verdict **{DatasetInferenceReportJson.Verdict(Confounded.Verdict)}** (bag-of-words AUROC {Confounded.BagOfWords.Auroc:0.00}, model p-value {Confounded.Test.PValue:0.##E+0}).");
        return text.ToString();
    }
}

/// <summary>One feature's AUROC for members duplicated <paramref name="MinDuplicates"/>–<paramref name="MaxDuplicates"/> times vs all non-members.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="MinDuplicates">Fewest duplicates.</param>
/// <param name="MaxDuplicates">Most duplicates.</param>
/// <param name="Members">Members in the group.</param>
/// <param name="Auroc">AUROC (members should score as more familiar).</param>
public sealed record FeatureAuroc(string Feature, int MinDuplicates, int MaxDuplicates, int Members, double Auroc);
