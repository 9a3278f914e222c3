namespace GenSafety.Watermarking.Images;

/// <summary>
/// The coefficients that carry the mark: the normalised luma's one-level Haar LL band (128², orthonormal, so
/// LL = sum of each 2×2 block / 2), cut into 8×8 blocks, and in each block twelve low-frequency DCT-II coefficients
/// (never DC: brightness shifts move only DC). Low frequencies survive scaling, blur and JPEG; the orthonormal
/// transforms keep the mark's energy equal in both domains.
/// </summary>
internal static class CoefficientSites
{
    public const int BlockSize = 8;
    public const int LowSize = NormalizedGeometry.Size / 2;
    public const int BlocksPerSide = LowSize / BlockSize;
    public const int PerBlock = 12;
    public const int Count = BlocksPerSide * BlocksPerSide * PerBlock;

    // Highest vertical frequency among the positions, plus one: the forward transform computes only these rows.
    private const int MaxFrequency = 4;

    // (vertical, horizontal) frequencies, zigzag order up to u + v = 4.
    private static readonly (int U, int V)[] Positions =
        [(0, 1), (1, 0), (1, 1), (0, 2), (2, 0), (1, 2), (2, 1), (2, 2), (0, 3), (3, 0), (1, 3), (3, 1)];

    // Orthonormal DCT-II basis: Basis[u * 8 + x] = α(u)·cos((2x + 1)uπ/16).
    private static readonly float[] Basis = BuildBasis();

    /// <summary>Reads every site's coefficient from the normalised luma <paramref name="plane"/> (Size² samples).</summary>
    public static void Analyze(ReadOnlySpan<float> plane, Span<float> sites)
    {
        const int Size = NormalizedGeometry.Size;
        Span<float> block = stackalloc float[BlockSize * BlockSize];
        Span<float> partial = stackalloc float[MaxFrequency * BlockSize];
        for (var by = 0; by < BlocksPerSide; by++)
        {
            for (var bx = 0; bx < BlocksPerSide; bx++)
            {
                for (var y = 0; y < BlockSize; y++)
                {
                    var top = plane.Slice(((2 * ((by * BlockSize) + y)) * Size) + (2 * bx * BlockSize), 2 * BlockSize);
                    var bottom = plane.Slice(((2 * ((by * BlockSize) + y) + 1) * Size) + (2 * bx * BlockSize), 2 * BlockSize);
                    for (var x = 0; x < BlockSize; x++)
                    {
                        block[(y * BlockSize) + x] = 0.5f * (top[2 * x] + top[(2 * x) + 1] + bottom[2 * x] + bottom[(2 * x) + 1]);
                    }
                }

                // Separable: vertical frequencies first (only the low ones the sites use), then horizontal.
                partial.Clear();
                for (var u = 0; u < MaxFrequency; u++)
                {
                    for (var y = 0; y < BlockSize; y++)
                    {
                        var c = Basis[(u * BlockSize) + y];
                        for (var x = 0; x < BlockSize; x++)
                        {
                            partial[(u * BlockSize) + x] += c * block[(y * BlockSize) + x];
                        }
                    }
                }

                var offset = ((by * BlocksPerSide) + bx) * PerBlock;
                for (var k = 0; k < PerBlock; k++)
                {
                    var (u, v) = Positions[k];
                    var sum = 0f;
                    for (var x = 0; x < BlockSize; x++)
                    {
                        sum += partial[(u * BlockSize) + x] * Basis[(v * BlockSize) + x];
                    }

                    sites[offset + k] = sum;
                }
            }
        }
    }

    /// <summary>
    /// Adds to the normalised <paramref name="plane"/> the pixel change that moves each site's coefficient by
    /// <paramref name="deltas"/> (inverse DCT, then Haar synthesis with empty detail bands: δ/2 on each of 2×2 pixels).
    /// </summary>
    public static void Synthesize(ReadOnlySpan<float> deltas, Span<float> plane)
    {
        const int Size = NormalizedGeometry.Size;
        Span<float> block = stackalloc float[BlockSize * BlockSize];
        for (var by = 0; by < BlocksPerSide; by++)
        {
            for (var bx = 0; bx < BlocksPerSide; bx++)
            {
                block.Clear();
                var offset = ((by * BlocksPerSide) + bx) * PerBlock;
                for (var k = 0; k < PerBlock; k++)
                {
                    var delta = deltas[offset + k];
                    if (delta == 0)
                    {
                        continue;
                    }

                    var (u, v) = Positions[k];
                    for (var y = 0; y < BlockSize; y++)
                    {
                        var cy = delta * Basis[(u * BlockSize) + y];
                        for (var x = 0; x < BlockSize; x++)
                        {
                            block[(y * BlockSize) + x] += cy * Basis[(v * BlockSize) + x];
                        }
                    }
                }

                for (var y = 0; y < BlockSize; y++)
                {
                    var top = plane.Slice(((2 * ((by * BlockSize) + y)) * Size) + (2 * bx * BlockSize), 2 * BlockSize);
                    var bottom = plane.Slice(((2 * ((by * BlockSize) + y) + 1) * Size) + (2 * bx * BlockSize), 2 * BlockSize);
                    for (var x = 0; x < BlockSize; x++)
                    {
                        var half = 0.5f * block[(y * BlockSize) + x];
                        top[2 * x] += half;
                        top[(2 * x) + 1] += half;
                        bottom[2 * x] += half;
                        bottom[(2 * x) + 1] += half;
                    }
                }
            }
        }
    }

    private static float[] BuildBasis()
    {
        var basis = new float[BlockSize * BlockSize];
        for (var u = 0; u < BlockSize; u++)
        {
            var alpha = u == 0 ? Math.Sqrt(1.0 / BlockSize) : Math.Sqrt(2.0 / BlockSize);
            for (var x = 0; x < BlockSize; x++)
            {
                basis[(u * BlockSize) + x] = (float)(alpha * Math.Cos(((2 * x) + 1) * u * Math.PI / (2 * BlockSize)));
            }
        }

        return basis;
    }
}
