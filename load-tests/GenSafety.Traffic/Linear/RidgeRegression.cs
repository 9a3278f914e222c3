namespace GenSafety.Traffic.Linear;

/// <summary>
/// Multi-output ridge regression with an unpenalised intercept: minimises Σ‖y − (W·x + b)‖² + λ‖W‖²_F. Inputs and
/// targets are centred, then W = (XᵀX + λI)⁻¹XᵀY (primal, when there are fewer features than samples) or
/// W = Xᵀ(XXᵀ + λI)⁻¹Y (dual, otherwise); both are the same minimiser.
/// </summary>
public sealed class RidgeRegression
{
    private readonly double[] _weights; // features × outputs, row-major
    private readonly double[] _inputMean;
    private readonly double[] _outputMean;

    private RidgeRegression(double[] weights, double[] inputMean, double[] outputMean)
    {
        _weights = weights;
        _inputMean = inputMean;
        _outputMean = outputMean;
    }

    /// <summary>Number of input features.</summary>
    public int Features => _inputMean.Length;

    /// <summary>Number of outputs.</summary>
    public int Outputs => _outputMean.Length;

    /// <summary>Weight of feature <paramref name="feature"/> on output <paramref name="output"/>.</summary>
    public double Weight(int feature, int output) => _weights[(feature * Outputs) + output];

    /// <summary>Intercept of output <paramref name="output"/>.</summary>
    public double Intercept(int output)
    {
        var b = _outputMean[output];
        for (var f = 0; f < Features; f++)
        {
            b -= _inputMean[f] * Weight(f, output);
        }

        return b;
    }

    /// <summary>Fits the model to samples <paramref name="inputs"/>[i] → <paramref name="targets"/>[i] with penalty <paramref name="lambda"/> (> 0).</summary>
    public static RidgeRegression Fit(IReadOnlyList<double[]> inputs, IReadOnlyList<double[]> targets, double lambda)
    {
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        ArgumentOutOfRangeException.ThrowIfNotEqual(targets.Count, inputs.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lambda);
        var (n, d, k) = (inputs.Count, inputs[0].Length, targets[0].Length);
        var inputMean = Mean(inputs, d);
        var outputMean = Mean(targets, k);

        double[] weights;
        if (d <= n)
        {
            // (XcᵀXc + λI) W = XcᵀYc, accumulated from the raw rows so that sparse inputs stay cheap:
            // XcᵀXc = XᵀX − n·mₓmₓᵀ and XcᵀYc = XᵀY − n·mₓm_yᵀ.
            var gram = new double[d * d];
            var rhs = new double[d * k];
            var nonzero = new List<int>(d);
            foreach (var (input, target) in inputs.Zip(targets))
            {
                nonzero.Clear();
                for (var f = 0; f < d; f++)
                {
                    if (input[f] != 0)
                    {
                        nonzero.Add(f);
                    }
                }

                foreach (var i in nonzero)
                {
                    var xi = input[i];
                    foreach (var j in nonzero)
                    {
                        gram[(i * d) + j] += xi * input[j];
                    }

                    var row = rhs.AsSpan(i * k, k);
                    for (var o = 0; o < k; o++)
                    {
                        row[o] += xi * target[o];
                    }
                }
            }

            AddOuter(gram, inputMean, inputMean, d, -n);
            AddOuter(rhs, inputMean, outputMean, k, -n);
            AddRidge(gram, d, lambda);
            SymmetricSolver.Solve(gram, d, rhs, k);
            weights = rhs;
        }
        else
        {
            // (XcXcᵀ + λI) A = Yc, W = XcᵀA
            var x = Centred(inputs, inputMean);
            var y = Centred(targets, outputMean);
            var gram = new double[n * n];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    gram[(i * n) + j] = gram[(j * n) + i] = VectorOps.Dot(x[i], x[j]);
                }
            }

            AddRidge(gram, n, lambda);
            var alpha = new double[n * k];
            for (var i = 0; i < n; i++)
            {
                y[i].CopyTo(alpha, i * k);
            }

            SymmetricSolver.Solve(gram, n, alpha, k);
            weights = new double[d * k];
            for (var s = 0; s < n; s++)
            {
                AddOuter(weights, x[s], alpha.AsSpan(s * k, k), k, 1);
            }
        }

        return new RidgeRegression(weights, inputMean, outputMean);
    }

    /// <summary>The prediction W·(x − mean) + mean(y).</summary>
    public double[] Predict(ReadOnlySpan<double> input)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(input.Length, Features);
        var output = (double[])_outputMean.Clone();
        for (var f = 0; f < Features; f++)
        {
            var centred = input[f] - _inputMean[f];
            if (centred == 0)
            {
                continue;
            }

            var row = _weights.AsSpan(f * Outputs, Outputs);
            for (var o = 0; o < Outputs; o++)
            {
                output[o] += centred * row[o];
            }
        }

        return output;
    }

    private static double[] Mean(IReadOnlyList<double[]> rows, int width)
    {
        var mean = new double[width];
        foreach (var row in rows)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(row.Length, width);
            for (var i = 0; i < width; i++)
            {
                mean[i] += row[i];
            }
        }

        for (var i = 0; i < width; i++)
        {
            mean[i] /= rows.Count;
        }

        return mean;
    }

    private static double[][] Centred(IReadOnlyList<double[]> rows, double[] mean) =>
        [.. rows.Select(row => row.Select((v, i) => v - mean[i]).ToArray())];

    /// <summary>m (rows of length <paramref name="width"/>) += scale·a·bᵀ.</summary>
    private static void AddOuter(double[] m, ReadOnlySpan<double> a, ReadOnlySpan<double> b, int width, double scale)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var ai = scale * a[i];
            if (ai == 0)
            {
                continue;
            }

            var row = m.AsSpan(i * width, width);
            for (var j = 0; j < b.Length; j++)
            {
                row[j] += ai * b[j];
            }
        }
    }

    private static void AddRidge(double[] gram, int size, double lambda)
    {
        for (var i = 0; i < size; i++)
        {
            gram[(i * size) + i] += lambda;
        }
    }
}
