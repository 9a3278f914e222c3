namespace GenSafety.Detectors.DatasetInference;

/// <summary>Settings of <see cref="DatasetInferenceTest"/> and <see cref="DatasetInferenceAnalysis"/>.</summary>
public sealed record DatasetInferenceOptions
{
    /// <summary>Seed of the shuffles and splits: the same documents and seed give the same report.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Share of each feature's tails clipped before normalising (Maini et al.: 2.5%).</summary>
    public double ClipFraction { get; init; } = 0.025;

    /// <summary>L2 penalty of the linear model (on z-normalised features).</summary>
    public double Ridge { get; init; } = 1.0;

    /// <summary>Significance level of the verdict (a claim needs p below it; stricter than the paper's 0.1).</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Sample sizes per set at which the p-value is also reported (Maini et al.'s grid), where the data allow.</summary>
    public IReadOnlyList<int> SampleSizes { get; init; } = [2, 5, 10, 20, 50, 100, 200, 500, 1000];

    /// <summary>Bag-of-words AUROC at or above which (and significantly above 0.5) the sets count as confounded.</summary>
    public double ConfoundedAuroc { get; init; } = 0.65;

    /// <summary>Fewest documents per set.</summary>
    public const int MinDocuments = 8;
}
