using System.Numerics.Tensors;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// Finds the amplitude gain an edit applied to the marked coefficients (contrast, multiplicative brightness and, in
/// part, blur scale them, which moves every coefficient off its QIM lattice). A gain g is scored by how coherently the
/// record-id sites read at step g·Δ: Σ over id bits of |Σ of their sites' soft values|. Only id sites are used, so the
/// tag sites stay independent of the choice and the detector's binomial test stays exact (it pays a Bonferroni factor
/// for the gains it tries).
/// </summary>
internal static class GainSearch
{
    /// <summary>
    /// The gains to test: the <paramref name="count"/> best local maxima of the coherence over a geometric grid
    /// (ratio 1 + <paramref name="ratioStep"/>, containing 1) from <paramref name="minGain"/> to <paramref name="maxGain"/>.
    /// </summary>
    public static float[] BestGains(ReadOnlySpan<float> sites, KeyedLayout layout, float step, double minGain, double maxGain, double ratioStep, int count)
    {
        var grid = Grid(minGain, maxGain, ratioStep);
        if (grid.Length == 1)
        {
            return grid;
        }

        var ids = layout.IdSites;
        var coefficients = new float[ids.Length];
        var dither = new float[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            coefficients[i] = sites[ids[i]];
            dither[i] = layout.Dither[ids[i]];
        }

        var phase = new float[ids.Length];
        var scores = new float[PayloadCode.IdBits];
        var coherence = new float[grid.Length];
        for (var k = 0; k < grid.Length; k++)
        {
            TensorPrimitives.Multiply(coefficients, 1 / (grid[k] * step), phase);
            TensorPrimitives.Subtract(phase, dither, phase);
            TensorPrimitives.Multiply(phase, 2 * MathF.PI, phase);
            TensorPrimitives.Cos(phase, phase);
            Array.Clear(scores);
            for (var i = 0; i < ids.Length; i++)
            {
                scores[layout.SiteBit[ids[i]]] += phase[i];
            }

            coherence[k] = TensorPrimitives.SumOfMagnitudes(scores);
        }

        var peaks = new List<int>();
        for (var k = 0; k < grid.Length; k++)
        {
            if ((k == 0 || coherence[k] >= coherence[k - 1]) && (k == grid.Length - 1 || coherence[k] >= coherence[k + 1]))
            {
                peaks.Add(k);
            }
        }

        return [.. peaks.OrderByDescending(k => coherence[k]).Take(count).Select(k => grid[k])];
    }

    /// <summary>How many gains <see cref="BestGains"/> may return: the Bonferroni factor of the search.</summary>
    public static int Tries(double minGain, double maxGain, double ratioStep, int count) => Math.Min(count, Grid(minGain, maxGain, ratioStep).Length);

    private static float[] Grid(double minGain, double maxGain, double ratioStep)
    {
        var below = (int)Math.Floor(Math.Log(minGain) / -Math.Log(1 + ratioStep) + 1e-9);
        var above = (int)Math.Floor(Math.Log(maxGain) / Math.Log(1 + ratioStep) + 1e-9);
        var grid = new float[below + above + 1];
        for (var k = -below; k <= above; k++)
        {
            grid[k + below] = (float)Math.Pow(1 + ratioStep, k);
        }

        return grid;
    }
}
