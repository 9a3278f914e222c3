namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// Maini et al.'s preprocessing, fitted on training rows and applied to any row: each feature clipped to its
/// [c, 1 − c] quantiles (c = 2.5% by default), then z-normalised with the clipped training mean and standard deviation.
/// Features that are missing (NaN) in any training row or constant after clipping are left out (their names listed in
/// <see cref="Kept"/> show which stay).
/// </summary>
public sealed class FeatureScaler
{
    private readonly int[] _columns;
    private readonly double[] _low;
    private readonly double[] _high;
    private readonly double[] _mean;
    private readonly double[] _deviation;

    private FeatureScaler(int[] columns, double[] low, double[] high, double[] mean, double[] deviation)
    {
        _columns = columns;
        _low = low;
        _high = high;
        _mean = mean;
        _deviation = deviation;
    }

    /// <summary>The indices of the input features that the scaled rows keep, in order.</summary>
    public IReadOnlyList<int> Kept => _columns;

    /// <summary>Fits the scaler to <paramref name="rows"/>.</summary>
    public static FeatureScaler Fit(IReadOnlyList<double[]> rows, double clipFraction)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("Fitting needs at least one row.", nameof(rows));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(clipFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(clipFraction, 0.5);
        var columns = new List<int>();
        List<double> low = [], high = [], mean = [], deviation = [];
        for (var c = 0; c < rows[0].Length; c++)
        {
            var values = rows.Select(r => r[c]).ToArray();
            if (values.Any(v => !double.IsFinite(v)))
            {
                continue;
            }

            Array.Sort(values);
            double lo = Quantile(values, clipFraction), hi = Quantile(values, 1 - clipFraction);
            var clipped = values.Select(v => Math.Clamp(v, lo, hi)).ToArray();
            var m = clipped.Average();
            var s = Math.Sqrt(clipped.Sum(v => (v - m) * (v - m)) / Math.Max(1, clipped.Length - 1));
            if (!(s > 1e-12))
            {
                continue;
            }

            columns.Add(c);
            low.Add(lo);
            high.Add(hi);
            mean.Add(m);
            deviation.Add(s);
        }

        return new FeatureScaler([.. columns], [.. low], [.. high], [.. mean], [.. deviation]);
    }

    /// <summary>The kept features of <paramref name="row"/>, clipped and z-normalised (a missing value becomes 0, the mean).</summary>
    public double[] Transform(double[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var result = new double[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var value = row[_columns[i]];
            result[i] = double.IsFinite(value) ? (Math.Clamp(value, _low[i], _high[i]) - _mean[i]) / _deviation[i] : 0;
        }

        return result;
    }

    // Linear interpolation between order statistics (R's type 7).
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
