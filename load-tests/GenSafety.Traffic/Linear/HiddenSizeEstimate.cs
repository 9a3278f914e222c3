namespace GenSafety.Traffic.Linear;

/// <summary>
/// The hidden size read off a spectrum: logit vectors of a model whose last layer is W·h span a d-dimensional space,
/// so their singular values fall off a cliff after the d-th (Carlini et al. 2024, §4; Finlayson et al. 2024).
/// </summary>
/// <param name="HiddenSize">Number of singular values before the first cliff; when inconclusive, the numerical rank (a lower bound on d).</param>
/// <param name="GapRatio">The cliff σ_d / σ_{d+1}; when inconclusive, the largest drop seen.</param>
/// <param name="Conclusive">Whether the drop is at least the threshold: otherwise the data show no low-rank structure (too few rows, too much noise, or d ≥ the matrix's smaller side).</param>
/// <param name="Rows">Rows (prompts) of the analysed matrix.</param>
/// <param name="Columns">Columns (tokens) of the analysed matrix.</param>
/// <param name="SingularValues">The spectrum, largest first.</param>
public sealed record HiddenSizeEstimate(int HiddenSize, double GapRatio, bool Conclusive, int Rows, int Columns, IReadOnlyList<double> SingularValues)
{
    /// <summary>
    /// Drop ratio from which a gap counts as a rank cliff. Inside the signal consecutive singular values differ by a
    /// few times at most; the reference model's float32 logits give a cliff of about 10⁵, bisection to 10⁻⁴ about
    /// 10³, quantized logprobs none.
    /// </summary>
    public const double DefaultThreshold = 100;

    /// <summary>Estimates the hidden size of the rows of <paramref name="rows"/> (each a logit vector over the same tokens).</summary>
    public static HiddenSizeEstimate FromRows(IReadOnlyList<double[]> rows, double threshold = DefaultThreshold)
    {
        if (rows.Count < 2 || rows[0].Length < 2)
        {
            return new HiddenSizeEstimate(0, 1, false, rows.Count, rows.Count == 0 ? 0 : rows[0].Length, []);
        }

        return FromSpectrum(JacobiSvd.SingularValues(rows), rows.Count, rows[0].Length, threshold);
    }

    /// <summary>
    /// Estimates from singular values (largest first): d is the index of the first drop of at least
    /// <paramref name="threshold"/>, scanning from the largest value. Precision floors below the signal — float32
    /// logits, then double rounding, then exact zeros — each make a later cliff of their own, so the first cliff
    /// is the rank and the largest one need not be. Without such a drop the estimate is inconclusive and reports
    /// the numerical rank (values above σ₁·10⁻¹²), a lower bound on d, with the largest ratio among those values.
    /// </summary>
    public static HiddenSizeEstimate FromSpectrum(IReadOnlyList<double> values, int rows, int columns, double threshold = DefaultThreshold)
    {
        var zero = values.Count == 0 ? 0 : values[0] * 1e-12;
        var (rank, bestRatio) = (0, 1.0);
        for (var i = 0; i < values.Count && values[i] > zero; i++)
        {
            rank = i + 1;
            if (i + 1 == values.Count)
            {
                break;
            }

            var ratio = values[i] / Math.Max(values[i + 1], double.Epsilon);
            if (ratio >= threshold)
            {
                return new HiddenSizeEstimate(i + 1, ratio, true, rows, columns, values);
            }

            bestRatio = values[i + 1] > zero ? Math.Max(bestRatio, ratio) : bestRatio;
        }

        return new HiddenSizeEstimate(rank, bestRatio, false, rows, columns, values);
    }
}
