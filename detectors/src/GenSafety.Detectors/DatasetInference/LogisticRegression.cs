namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares, Cholesky
/// solves): exact and fast for the few dozen standardised features of dataset inference. The intercept is not
/// penalised. Deterministic: the same rows give the same weights.
/// </summary>
public sealed class LogisticRegression
{
    private const int MaxIterations = 50;
    private const double Tolerance = 1e-10;

    private LogisticRegression(double[] weights, double intercept)
    {
        Weights = weights;
        Intercept = intercept;
    }

    /// <summary>The weight of each feature.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The intercept.</summary>
    public double Intercept { get; }

    /// <summary>Fits P(label = 1 | x) to <paramref name="rows"/> with penalty <paramref name="ridge"/>·‖w‖²/2.</summary>
    public static LogisticRegression Fit(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, double ridge)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(ridge);
        if (rows.Count == 0 || rows.Count != labels.Count)
        {
            throw new ArgumentException("Rows and labels must be equally many, at least one.", nameof(labels));
        }

        var d = rows[0].Length + 1; // features, then the intercept
        var beta = new double[d];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var gradient = new double[d];
            var hessian = new double[d, d];
            for (var r = 0; r < rows.Count; r++)
            {
                var p = Sigmoid(Linear(beta, rows[r]));
                var residual = (labels[r] ? 1 : 0) - p;
                var weight = Math.Max(p * (1 - p), 1e-12);
                for (var i = 0; i < d; i++)
                {
                    var xi = i < d - 1 ? rows[r][i] : 1;
                    gradient[i] += residual * xi;
                    for (var j = 0; j <= i; j++)
                    {
                        hessian[i, j] += weight * xi * (j < d - 1 ? rows[r][j] : 1);
                    }
                }
            }

            for (var i = 0; i < d - 1; i++)
            {
                gradient[i] -= ridge * beta[i];
                hessian[i, i] += ridge;
            }

            hessian[d - 1, d - 1] += 1e-9; // keeps the system solvable when one class is absent
            var step = SolveSymmetric(hessian, gradient);
            var change = 0.0;
            for (var i = 0; i < d; i++)
            {
                beta[i] += step[i];
                change = Math.Max(change, Math.Abs(step[i]));
            }

            if (change < Tolerance)
            {
                break;
            }
        }

        return new LogisticRegression(beta[..^1], beta[^1]);
    }

    /// <summary>The linear score w·x + b (the log-odds of label 1).</summary>
    public double Score(ReadOnlySpan<double> row)
    {
        var sum = Intercept;
        for (var i = 0; i < Weights.Count; i++)
        {
            sum += Weights[i] * row[i];
        }

        return sum;
    }

    private static double Linear(double[] beta, double[] row)
    {
        var sum = beta[^1];
        for (var i = 0; i < row.Length; i++)
        {
            sum += beta[i] * row[i];
        }

        return sum;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    // Solves A·x = b for the symmetric positive definite A given by its lower triangle (Cholesky).
    private static double[] SolveSymmetric(double[,] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-300)) : sum / l[j, j];
            }
        }

        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[i, k] * y[k];
            }

            y[i] = sum / l[i, i];
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[k, i] * x[k];
            }

            x[i] = sum / l[i, i];
        }

        return x;
    }
}
