using GenSafety.Traffic.Linear;

namespace GenSafety.Traffic.Attacks.Logits;

/// <summary>What a logit-extraction attack (A1, A2) recovered: the hidden size the SVD shows and how much data it rests on.</summary>
public sealed record HiddenSizeReport : AttackReport
{
    /// <summary>Prompts planned.</summary>
    public required int Prompts { get; init; }

    /// <summary>Tokens swept per prompt, the reference included.</summary>
    public required int Tokens { get; init; }

    /// <summary>Cells (prompt, token) learnt.</summary>
    public required int CellsFilled { get; init; }

    /// <summary>Distinct rows of the complete block the SVD ran on.</summary>
    public required int Rows { get; init; }

    /// <summary>Columns of that block.</summary>
    public required int Columns { get; init; }

    /// <summary>Recovered hidden size (singular values before the first cliff); when not <see cref="Conclusive"/>, the numerical rank, a lower bound.</summary>
    public required int RecoveredHiddenSize { get; init; }

    /// <summary>σ_d / σ_{d+1} at the cliff (inconclusive: the largest drop).</summary>
    public required double GapRatio { get; init; }

    /// <summary>Whether the drop is a real rank cliff (≥ <see cref="HiddenSizeEstimate.DefaultThreshold"/>).</summary>
    public required bool Conclusive { get; init; }

    /// <summary>The spectrum, largest first.</summary>
    public required IReadOnlyList<double> SingularValues { get; init; }

    /// <summary>Builds the report from a matrix and the attack's counts.</summary>
    public static HiddenSizeReport From(string family, QueryCounter counter, LogitMatrix matrix, int prompts)
    {
        var estimate = matrix.Estimate();
        return counter.Stamp(family, new HiddenSizeReport
        {
            Prompts = prompts,
            Tokens = matrix.Columns,
            CellsFilled = matrix.Filled,
            Rows = estimate.Rows,
            Columns = estimate.Columns,
            RecoveredHiddenSize = estimate.HiddenSize,
            GapRatio = estimate.GapRatio,
            Conclusive = estimate.Conclusive,
            SingularValues = [.. estimate.SingularValues],
        });
    }
}
