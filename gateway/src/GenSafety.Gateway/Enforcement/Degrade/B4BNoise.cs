using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// The cost-to-noise step of B4B (Dubiński et al., NeurIPS 2023, arXiv 2310.08571): a client whose queries cover
/// more of the embedding space gets embeddings with more Gaussian noise,
/// σ(c) = max(0, λ·(exp(ln(α/λ)·c/β) − 1)) with c the coverage in percent, and each returned vector becomes
/// v + N(0, σ²) per dimension.
/// </summary>
public static class B4BNoise
{
    /// <summary>
    /// The per-dimension noise σ at coverage <paramref name="coveragePercent"/> (0 to 100). It is 0 at c = 0 and
    /// α − λ at c = β (0.8 with the defaults at 80 %).
    /// </summary>
    public static double Sigma(double coveragePercent, double lambda, double alpha, double beta)
        => Math.Max(0, lambda * (Math.Exp(Math.Log(alpha / lambda) * coveragePercent / beta) - 1));

    /// <summary>Adds N(0, σ²) to every component of <paramref name="embedding"/>, drawing from <paramref name="random"/>.</summary>
    public static void AddTo(Span<float> embedding, double sigma, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (sigma <= 0)
        {
            return;
        }

        var gaussian = new GaussianSource(random);
        for (var i = 0; i < embedding.Length; i++)
        {
            embedding[i] = (float)(embedding[i] + (sigma * gaussian.Next()));
        }
    }

    /// <summary>
    /// Adds noise to an embedding in OpenAI's <c>encoding_format: "base64"</c> form (little-endian float32 values).
    /// Returns <see langword="false"/> when <paramref name="base64"/> is not base64 of a whole number of floats.
    /// </summary>
    public static bool TryAddToBase64(string base64, double sigma, Random random, out string noisy)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!EmbeddingVectors.TryRewriteBase64(base64, vector => AddTo(vector, sigma, random), out noisy))
        {
            return false;
        }

        // Without noise the answer is the input itself, not a re-encoding of it.
        noisy = sigma > 0 ? noisy : base64;
        return true;
    }

    /// <summary>Standard normal draws by the Box–Muller transform, two per pair of uniforms.</summary>
    private struct GaussianSource(Random random)
    {
        private double _spare;
        private bool _hasSpare;

        public double Next()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }

            // 1 − U lies in (0, 1], so the logarithm is finite.
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            _spare = radius * Math.Sin(angle);
            _hasSpare = true;
            return radius * Math.Cos(angle);
        }
    }
}
