using System.Buffers;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// Maps one image size to the scheme's normalised square (<see cref="Size"/>² luma samples) and back: area
/// averaging down (what the detector sees after any resize) and bilinear interpolation up (how the mark's residual,
/// computed at the normalised size, is scaled back onto the image).
/// </summary>
internal sealed class NormalizedGeometry
{
    /// <summary>Side of the normalised luma plane; part of the scheme's parameters.</summary>
    public const int Size = 256;

    private const float Red = 0.299f;
    private const float Green = 0.587f;
    private const float Blue = 0.114f;

    private readonly AreaWeights _downX;
    private readonly AreaWeights _downY;
    private readonly int[] _upX0;
    private readonly int[] _upX1;
    private readonly float[] _upXf;
    private readonly int[] _upY0;
    private readonly int[] _upY1;
    private readonly float[] _upYf;

    public NormalizedGeometry(int width, int height)
    {
        Width = width;
        Height = height;
        _downX = new AreaWeights(width, Size);
        _downY = new AreaWeights(height, Size);
        (_upX0, _upX1, _upXf) = Bilinear(width);
        (_upY0, _upY1, _upYf) = Bilinear(height);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Luma (BT.601, 0–255) of <paramref name="rgba"/> averaged down to the normalised plane.</summary>
    public float[] MeasureLuma(ReadOnlySpan<byte> rgba)
    {
        var rows = ArrayPool<float>.Shared.Rent(Height * Size);
        var luma = ArrayPool<float>.Shared.Rent(Width);
        try
        {
            for (var y = 0; y < Height; y++)
            {
                var row = rgba.Slice(y * Width * 4, Width * 4);
                for (var x = 0; x < Width; x++)
                {
                    luma[x] = (Red * row[4 * x]) + (Green * row[(4 * x) + 1]) + (Blue * row[(4 * x) + 2]);
                }

                _downX.Apply(luma.AsSpan(0, Width), rows.AsSpan(y * Size, Size));
            }

            var plane = new float[Size * Size];
            _downY.ApplyColumns(rows.AsSpan(0, Height * Size), plane, Size);
            return plane;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
            ArrayPool<float>.Shared.Return(luma);
        }
    }

    /// <summary>
    /// Writes <paramref name="source"/> plus the normalised <paramref name="residual"/> scaled up to the image (added
    /// to R, G and B alike, so chroma is untouched; rounded and clipped) into <paramref name="target"/>; alpha is
    /// copied. When <paramref name="measured"/> is given, the result's normalised luma is written there in the same pass.
    /// </summary>
    public void AddResidual(ReadOnlySpan<byte> source, ReadOnlySpan<float> residual, Span<byte> target, float[]? measured)
    {
        var up = ArrayPool<float>.Shared.Rent(Size * Width);
        var delta = ArrayPool<float>.Shared.Rent(Width);
        var luma = ArrayPool<float>.Shared.Rent(Width);
        var rows = measured is null ? null : ArrayPool<float>.Shared.Rent(Height * Size);
        try
        {
            for (var i = 0; i < Size; i++)
            {
                var line = residual.Slice(i * Size, Size);
                var upLine = up.AsSpan(i * Width, Width);
                for (var x = 0; x < Width; x++)
                {
                    var a = line[_upX0[x]];
                    upLine[x] = a + ((line[_upX1[x]] - a) * _upXf[x]);
                }
            }

            for (var y = 0; y < Height; y++)
            {
                var rowA = up.AsSpan(_upY0[y] * Width, Width);
                var rowB = up.AsSpan(_upY1[y] * Width, Width);
                var d = delta.AsSpan(0, Width);
                System.Numerics.Tensors.TensorPrimitives.Subtract(rowB, rowA, d);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(d, _upYf[y], rowA, d);
                var src = source.Slice(y * Width * 4, Width * 4);
                var dst = target.Slice(y * Width * 4, Width * 4);
                for (var x = 0; x < Width; x++)
                {
                    var o = 4 * x;
                    var r = Clip(src[o] + d[x]);
                    var g = Clip(src[o + 1] + d[x]);
                    var b = Clip(src[o + 2] + d[x]);
                    dst[o] = r;
                    dst[o + 1] = g;
                    dst[o + 2] = b;
                    dst[o + 3] = src[o + 3];
                    luma[x] = (Red * r) + (Green * g) + (Blue * b);
                }

                if (rows is not null)
                {
                    _downX.Apply(luma.AsSpan(0, Width), rows.AsSpan(y * Size, Size));
                }
            }

            if (rows is not null)
            {
                _downY.ApplyColumns(rows.AsSpan(0, Height * Size), measured, Size);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(up);
            ArrayPool<float>.Shared.Return(delta);
            ArrayPool<float>.Shared.Return(luma);
            if (rows is not null)
            {
                ArrayPool<float>.Shared.Return(rows);
            }
        }
    }

    private static byte Clip(float value) => value <= 0 ? (byte)0 : value >= 255 ? (byte)255 : (byte)(value + 0.5f);

    private static (int[] Low, int[] High, float[] Fraction) Bilinear(int length)
    {
        var low = new int[length];
        var high = new int[length];
        var fraction = new float[length];
        var scale = (double)Size / length;
        for (var x = 0; x < length; x++)
        {
            // Pixel centres line up: output centre x + 0.5 maps to normalised coordinate (x + 0.5)·scale.
            var source = Math.Clamp(((x + 0.5) * scale) - 0.5, 0, Size - 1);
            var lo = (int)Math.Floor(source);
            low[x] = lo;
            high[x] = Math.Min(lo + 1, Size - 1);
            fraction[x] = (float)(source - lo);
        }

        return (low, high, fraction);
    }
}
