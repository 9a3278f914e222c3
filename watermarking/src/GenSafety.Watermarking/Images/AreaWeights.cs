namespace GenSafety.Watermarking.Images;

/// <summary>
/// Area-averaging (box) resampling weights from <c>inputLength</c> samples to <c>outputLength</c>: each output sample
/// is the mean of the input interval it covers, fractional overlaps weighted. Works for shrinking and enlarging.
/// </summary>
internal sealed class AreaWeights
{
    private readonly int[] _start;
    private readonly int[] _count;
    private readonly float[] _weights;
    private readonly int _taps;

    public AreaWeights(int inputLength, int outputLength)
    {
        var scale = (double)inputLength / outputLength;
        _taps = (int)Math.Ceiling(scale) + 1;
        _start = new int[outputLength];
        _count = new int[outputLength];
        _weights = new float[outputLength * _taps];
        for (var i = 0; i < outputLength; i++)
        {
            var lo = i * scale;
            var hi = Math.Min(inputLength, (i + 1) * scale);
            var first = (int)Math.Floor(lo);
            var last = Math.Min(inputLength - 1, (int)Math.Ceiling(hi) - 1);
            _start[i] = first;
            var count = 0;
            for (var j = first; j <= last; j++)
            {
                var overlap = Math.Min(hi, j + 1) - Math.Max(lo, j);
                if (overlap > 0)
                {
                    _weights[(i * _taps) + count] = (float)(overlap / scale);
                    count++;
                }
                else if (count == 0)
                {
                    _start[i] = j + 1;
                }
            }

            _count[i] = count;
        }

        OutputLength = outputLength;
    }

    public int OutputLength { get; }

    /// <summary>Resamples one line: <paramref name="output"/>[i] = Σ weights × <paramref name="input"/>.</summary>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        for (var i = 0; i < OutputLength; i++)
        {
            var start = _start[i];
            var weights = _weights.AsSpan(i * _taps, _count[i]);
            var sum = 0f;
            for (var k = 0; k < weights.Length; k++)
            {
                sum += weights[k] * input[start + k];
            }

            output[i] = sum;
        }
    }

    /// <summary>Resamples columns of a row-major plane (<paramref name="width"/> wide) into <paramref name="output"/>.</summary>
    public void ApplyColumns(ReadOnlySpan<float> input, Span<float> output, int width)
    {
        output.Clear();
        for (var i = 0; i < OutputLength; i++)
        {
            var target = output.Slice(i * width, width);
            var weights = _weights.AsSpan(i * _taps, _count[i]);
            for (var k = 0; k < weights.Length; k++)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(input.Slice((_start[i] + k) * width, width), weights[k], target, target);
            }
        }
    }
}
