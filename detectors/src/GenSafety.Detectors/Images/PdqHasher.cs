namespace GenSafety.Detectors.Images;

/// <summary>
/// PDQ (Meta's perceptual hash, ThreatExchange reference description): luma (0.299 R + 0.587 G + 0.114 B);
/// two passes of a Jarosz box filter along rows then columns with window ⌈dimension / 128⌉; decimation to 64×64
/// by sampling; quality = Σ|neighbour differences|·100/255 / 90, capped at 100; a 16×64 DCT matrix
/// (frequencies 1–16, DC dropped) giving 16×16 coefficients; bit set where a coefficient exceeds their median.
/// The eight dihedral variants come from the same coefficients: a transpose swaps (i, j), a mirror negates
/// the odd-frequency coefficients along its axis.
/// </summary>
public static class PdqHasher
{
    private const int Decimated = 64;
    private const int Coefficients = 16;
    private const int JaroszPasses = 2;

    private static readonly float[] Dct = BuildDct();

    /// <summary>Hash and quality of a luma image (row-major, values 0–255).</summary>
    public static PdqResult Hash(ReadOnlySpan<float> luma, int width, int height) =>
        HashVariant(Coefficients16(luma, width, height, out var quality), PdqDihedral.Original, quality);

    /// <summary>The hashes of all eight dihedral variants (indexed by <see cref="PdqDihedral"/>), one quality.</summary>
    public static PdqResult[] HashDihedral(ReadOnlySpan<float> luma, int width, int height)
    {
        var coefficients = Coefficients16(luma, width, height, out var quality);
        var results = new PdqResult[8];
        for (var variant = 0; variant < 8; variant++)
        {
            results[variant] = HashVariant(coefficients, (PdqDihedral)variant, quality);
        }

        return results;
    }

    /// <summary>
    /// Hash and quality of decoded pixels (8-bit RGBA, rows packed, stride 4 × <paramref name="width"/>), for a caller
    /// that already holds them. Unlike <see cref="Hash(ReadOnlySpan{byte})"/> the image is not first scaled down to
    /// 1024 pixels a side; PDQ's box filters and 64×64 decimation make the two agree within a few bits.
    /// </summary>
    public static PdqResult HashRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgba.Length != 4L * width * height)
        {
            throw new ArgumentException($"An RGBA image of {width}×{height} needs {4L * width * height} bytes, not {rgba.Length}.", nameof(rgba));
        }

        return Hash(LumaImage.ToLuma(rgba, width, height, 4 * width), width, height);
    }

    /// <summary>Hash and quality of an encoded image (PNG, JPEG, WebP, GIF, BMP…).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a decodable image, or it is too large.</exception>
    public static PdqResult Hash(ReadOnlySpan<byte> encodedImage)
    {
        var (luma, width, height) = LumaImage.Decode(encodedImage);
        return Hash(luma, width, height);
    }

    /// <summary>All eight dihedral hashes of an encoded image.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a decodable image, or it is too large.</exception>
    public static PdqResult[] HashDihedral(ReadOnlySpan<byte> encodedImage)
    {
        var (luma, width, height) = LumaImage.Decode(encodedImage);
        return HashDihedral(luma, width, height);
    }

    private static float[] Coefficients16(ReadOnlySpan<float> luma, int width, int height, out int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (luma.Length != (long)width * height)
        {
            throw new ArgumentException($"The luma buffer holds {luma.Length} values; {width}×{height} expected.", nameof(luma));
        }

        var buffer = luma.ToArray();
        var scratch = new float[buffer.Length];
        var rowWindow = WindowSize(width);
        var columnWindow = WindowSize(height);
        for (var pass = 0; pass < JaroszPasses; pass++)
        {
            for (var row = 0; row < height; row++)
            {
                Box1D(buffer, scratch, row * width, width, 1, rowWindow);
            }

            for (var column = 0; column < width; column++)
            {
                Box1D(scratch, buffer, column, height, width, columnWindow);
            }
        }

        var decimated = new float[Decimated * Decimated];
        for (var i = 0; i < Decimated; i++)
        {
            var sourceRow = (int)((i + 0.5) * height / Decimated);
            for (var j = 0; j < Decimated; j++)
            {
                decimated[i * Decimated + j] = buffer[sourceRow * width + (int)((j + 0.5) * width / Decimated)];
            }
        }

        quality = Quality(decimated);
        return Dct16(decimated);
    }

    // ⌈dimension / 128⌉: the box a 64-sample decimation needs, applied twice.
    private static int WindowSize(int dimension) => (dimension + 2 * Decimated - 1) / (2 * Decimated);

    // A moving average of the full window, with shrinking windows at both ends (the reference's four phases).
    private static void Box1D(float[] input, float[] output, int start, int length, int stride, int window)
    {
        var half = (window + 2) / 2;
        var phase1 = half - 1;
        var phase2 = window - half + 1;
        var phase3 = length - window;
        var phase4 = half - 1;
        int li = start, ri = start, oi = start, current = 0;
        var sum = 0f;
        for (var i = 0; i < phase1; i++, ri += stride)
        {
            sum += input[ri];
            current++;
        }

        for (var i = 0; i < phase2; i++, ri += stride, oi += stride)
        {
            sum += input[ri];
            current++;
            output[oi] = sum / current;
        }

        for (var i = 0; i < phase3; i++, ri += stride, li += stride, oi += stride)
        {
            sum += input[ri] - input[li];
            output[oi] = sum / current;
        }

        for (var i = 0; i < phase4; i++, li += stride, oi += stride)
        {
            sum -= input[li];
            current--;
            output[oi] = sum / current;
        }
    }

    private static int Quality(float[] decimated)
    {
        var gradients = 0;
        for (var i = 0; i < Decimated - 1; i++)
        {
            for (var j = 0; j < Decimated; j++)
            {
                gradients += Math.Abs((int)((decimated[i * Decimated + j] - decimated[(i + 1) * Decimated + j]) * 100 / 255));
            }
        }

        for (var i = 0; i < Decimated; i++)
        {
            for (var j = 0; j < Decimated - 1; j++)
            {
                gradients += Math.Abs((int)((decimated[i * Decimated + j] - decimated[i * Decimated + j + 1]) * 100 / 255));
            }
        }

        return Math.Min(100, gradients / 90);
    }

    private static float[] BuildDct()
    {
        var matrix = new float[Coefficients * Decimated];
        var scale = Math.Sqrt(2.0 / Decimated);
        for (var i = 0; i < Coefficients; i++)
        {
            for (var j = 0; j < Decimated; j++)
            {
                matrix[i * Decimated + j] = (float)(scale * Math.Cos(Math.PI / 2 / Decimated * (i + 1) * (2 * j + 1)));
            }
        }

        return matrix;
    }

    // D · A · Dᵀ
    private static float[] Dct16(float[] a)
    {
        var t = new float[Coefficients * Decimated];
        for (var i = 0; i < Coefficients; i++)
        {
            for (var j = 0; j < Decimated; j++)
            {
                var sum = 0f;
                for (var k = 0; k < Decimated; k++)
                {
                    sum += Dct[i * Decimated + k] * a[k * Decimated + j];
                }

                t[i * Decimated + j] = sum;
            }
        }

        var b = new float[Coefficients * Coefficients];
        for (var i = 0; i < Coefficients; i++)
        {
            for (var j = 0; j < Coefficients; j++)
            {
                var sum = 0f;
                for (var k = 0; k < Decimated; k++)
                {
                    sum += t[i * Decimated + k] * Dct[j * Decimated + k];
                }

                b[i * Coefficients + j] = sum;
            }
        }

        return b;
    }

    private static PdqResult HashVariant(float[] b, PdqDihedral variant, int quality)
    {
        var transpose = ((int)variant & 4) != 0;
        var mirrorColumns = ((int)variant & 1) != 0;
        var mirrorRows = ((int)variant & 2) != 0;
        Span<float> c = stackalloc float[Coefficients * Coefficients];
        for (var i = 0; i < Coefficients; i++)
        {
            for (var j = 0; j < Coefficients; j++)
            {
                var value = transpose ? b[j * Coefficients + i] : b[i * Coefficients + j];
                // Frequency index k stands for frequency k + 1: a mirror flips the sign of odd frequencies (even k).
                if (mirrorColumns && (j & 1) == 0)
                {
                    value = -value;
                }

                if (mirrorRows && (i & 1) == 0)
                {
                    value = -value;
                }

                c[i * Coefficients + j] = value;
            }
        }

        Span<float> sorted = stackalloc float[c.Length];
        c.CopyTo(sorted);
        sorted.Sort();
        var median = sorted[c.Length / 2 - 1];
        Span<bool> bits = stackalloc bool[PdqHash.Bits];
        for (var k = 0; k < c.Length; k++)
        {
            bits[k] = c[k] > median;
        }

        return new PdqResult(PdqHash.FromBits(bits), quality);
    }
}
