using System.Buffers.Binary;
using GenSafety.Gateway.Enforcement.Degrade;

namespace GenSafety.Gateway.Tests.Enforcement.Degrade;

public sealed class B4BNoiseTests
{
    private const double Lambda = 1e-6;
    private const double Alpha = 0.8;
    private const double Beta = 80;

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(100)]
    public void Sigma_MatchesThePaperFormula(double coveragePercent)
    {
        // λ·((α/λ)^(c/β) − 1): the same curve written with Pow instead of exp(ln(·)).
        var expected = Math.Max(0, Lambda * (Math.Pow(Alpha / Lambda, coveragePercent / Beta) - 1));

        Assert.Equal(expected, B4BNoise.Sigma(coveragePercent, Lambda, Alpha, Beta), 1e-9 * Math.Max(1, expected));
    }

    [Fact]
    public void Sigma_KnownPoints()
    {
        Assert.Equal(0, B4BNoise.Sigma(0, Lambda, Alpha, Beta));
        Assert.Equal(Alpha - Lambda, B4BNoise.Sigma(80, Lambda, Alpha, Beta), 1e-12);
        Assert.Equal(Lambda * (Math.Sqrt(Alpha / Lambda) - 1), B4BNoise.Sigma(40, Lambda, Alpha, Beta), 1e-12);
        Assert.True(B4BNoise.Sigma(40, Lambda, Alpha, Beta) < 1e-3);
        Assert.Equal(0, B4BNoise.Sigma(-10, Lambda, Alpha, Beta));
    }

    // The table in docs/degrade.md (4 significant digits).
    [Theory]
    [InlineData(0, 0)]
    [InlineData(20, 2.891e-5)]
    [InlineData(40, 8.934e-4)]
    [InlineData(60, 0.02675)]
    [InlineData(80, 0.8000)]
    [InlineData(100, 23.93)]
    public void Sigma_DocumentedTable(double coveragePercent, double documented)
    {
        Assert.Equal(documented, B4BNoise.Sigma(coveragePercent, Lambda, Alpha, Beta), 5e-4 * documented);
    }

    [Fact]
    public void AddTo_Noise_HasZeroMeanAndTheRequestedSigma()
    {
        const double sigma = 0.8;
        const int dimensions = 384;
        const int draws = 200;
        var random = new Random(20231015);
        var vector = new float[dimensions];
        double sum = 0, sumOfSquares = 0;
        var withinOneSigma = 0;
        for (var draw = 0; draw < draws; draw++)
        {
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] = i % 7 * 0.01f;
            }

            B4BNoise.AddTo(vector, sigma, random);
            for (var i = 0; i < dimensions; i++)
            {
                double noise = vector[i] - (i % 7 * 0.01f);
                sum += noise;
                sumOfSquares += noise * noise;
                withinOneSigma += Math.Abs(noise) <= sigma ? 1 : 0;
            }
        }

        const int n = dimensions * draws;
        var mean = sum / n;
        var empiricalSigma = Math.Sqrt((sumOfSquares / n) - (mean * mean));
        // 76,800 samples: the standard error of the mean is 0.003 and of σ about 0.002.
        Assert.InRange(mean, -0.012, 0.012);
        Assert.InRange(empiricalSigma, sigma * 0.985, sigma * 1.015);
        // A Gaussian has 68.3 % of its mass within one σ; uniform noise of the same σ would have 57.7 %.
        Assert.InRange(withinOneSigma / (double)n, 0.673, 0.693);
    }

    [Fact]
    public void AddTo_ZeroSigma_LeavesVectorAlone()
    {
        float[] vector = [0.25f, -0.5f, 1f];

        B4BNoise.AddTo(vector, 0, new Random(1));

        Assert.Equal([0.25f, -0.5f, 1f], vector);
    }

    [Fact]
    public void AddTo_DifferentRandoms_DrawDifferentNoise()
    {
        var first = new float[16];
        var second = new float[16];

        B4BNoise.AddTo(first, 0.1, new Random(1));
        B4BNoise.AddTo(second, 0.1, new Random(2));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void TryAddToBase64_RoundTrips_SameNoiseAsFloatArray()
    {
        float[] vector = [0.0123f, -0.5f, 0.75f, -0.0009765625f, 3.5f];
        var base64 = ToBase64(vector);
        var expected = (float[])vector.Clone();
        B4BNoise.AddTo(expected, 0.3, new Random(99));

        Assert.True(B4BNoise.TryAddToBase64(base64, 0.3, new Random(99), out var noisy));

        Assert.Equal(expected, FromBase64(noisy));
        Assert.NotEqual(vector, FromBase64(noisy));
    }

    [Fact]
    public void TryAddToBase64_ZeroSigma_ReturnsInputUnchanged()
    {
        var base64 = ToBase64([1f, 2f]);

        Assert.True(B4BNoise.TryAddToBase64(base64, 0, new Random(1), out var noisy));

        Assert.Same(base64, noisy);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAECAwQF")] // 6 bytes: not a whole number of float32 values
    public void TryAddToBase64_Malformed_IsRefused(string base64)
    {
        Assert.False(B4BNoise.TryAddToBase64(base64, 0.5, new Random(1), out _));
    }

    internal static string ToBase64(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    internal static float[] FromBase64(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        }

        return values;
    }
}
