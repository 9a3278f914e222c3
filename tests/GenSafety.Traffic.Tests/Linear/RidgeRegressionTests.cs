using GenSafety.Traffic.Linear;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Tests.TestSupport;

namespace GenSafety.Traffic.Tests.Linear;

public sealed class RidgeRegressionTests
{
    [Fact]
    public void Fit_OneFeature_MatchesClosedForm()
    {
        double[][] x = [[1], [2], [4], [7]];
        double[][] y = [[3], [2], [8], [9]];
        const double lambda = 2;

        var model = RidgeRegression.Fit(x, y, lambda);

        // Centred: w = Σ(x−x̄)(y−ȳ) / (Σ(x−x̄)² + λ), b = ȳ − w·x̄.
        var (mx, my) = (3.5, 5.5);
        var sxy = x.Zip(y).Sum(p => (p.First[0] - mx) * (p.Second[0] - my));
        var sxx = x.Sum(p => (p[0] - mx) * (p[0] - mx));
        var w = sxy / (sxx + lambda);
        Assert.Equal(w, model.Weight(0, 0), 12);
        Assert.Equal(my - (w * mx), model.Intercept(0), 12);
        Assert.Equal((w * 10) + my - (w * mx), model.Predict([10])[0], 12);
    }

    [Fact]
    public void Fit_NoiselessLinearData_RecoversWeightsAndIntercepts()
    {
        var random = new SeededRandom(1);
        var truth = Matrices.Gaussian(6, 3, random);
        double[] bias = [0.5, -2, 7];
        var x = Matrices.Gaussian(200, 6, random);
        var y = Matrices.Multiply(x, truth).Select(row => row.Select((v, o) => v + bias[o]).ToArray()).ToArray();

        var model = RidgeRegression.Fit(x, y, 1e-9);

        for (var f = 0; f < 6; f++)
        {
            for (var o = 0; o < 3; o++)
            {
                Assert.Equal(truth[f][o], model.Weight(f, o), 6);
            }
        }

        Assert.Equal(bias, Enumerable.Range(0, 3).Select(o => Math.Round(model.Intercept(o), 6)).ToArray());
    }

    [Fact]
    public void Fit_MoreFeaturesThanSamples_DualSolutionSatisfiesTheNormalEquations()
    {
        // n < d takes the dual path; its W must solve (XcᵀXc + λI)W = XcᵀYc like the primal one.
        var random = new SeededRandom(2);
        var x = Matrices.Gaussian(5, 9, random);
        var y = Matrices.Gaussian(5, 2, random);
        const double lambda = 0.3;

        var model = RidgeRegression.Fit(x, y, lambda);

        var mx = Enumerable.Range(0, 9).Select(f => x.Average(r => r[f])).ToArray();
        var my = Enumerable.Range(0, 2).Select(o => y.Average(r => r[o])).ToArray();
        var xc = x.Select(r => r.Select((v, f) => v - mx[f]).ToArray()).ToArray();
        var yc = y.Select(r => r.Select((v, o) => v - my[o]).ToArray()).ToArray();
        for (var f = 0; f < 9; f++)
        {
            for (var o = 0; o < 2; o++)
            {
                var lhs = (lambda * model.Weight(f, o)) + Enumerable.Range(0, 9).Sum(g => xc.Sum(r => r[f] * r[g]) * model.Weight(g, o));
                var rhs = xc.Select((r, s) => r[f] * yc[s][o]).Sum();
                Assert.Equal(rhs, lhs, 9);
            }
        }
    }

    [Fact]
    public void Solve_SymmetricPositiveDefinite_SolvesEverySystem()
    {
        double[] a = [4, 2, 0.6, 2, 5, 1, 0.6, 1, 3];
        double[] b = [1, 0, 2, 1, 3, -1]; // two right-hand sides, row-major 3 × 2
        double[] original = [.. a];

        SymmetricSolver.Solve(a, 3, b, 2);

        for (var column = 0; column < 2; column++)
        {
            for (var row = 0; row < 3; row++)
            {
                var product = Enumerable.Range(0, 3).Sum(j => original[(row * 3) + j] * b[(j * 2) + column]);
                Assert.Equal(row switch { 0 => column == 0 ? 1 : 0, 1 => column == 0 ? 2 : 1, _ => column == 0 ? 3 : -1 }, product, 12);
            }
        }
    }

    [Fact]
    public void Solve_NotPositiveDefinite_Throws()
    {
        Assert.Throws<ArgumentException>(() => SymmetricSolver.Solve([1, 2, 2, 1], 2, [1, 1], 1));
    }
}
