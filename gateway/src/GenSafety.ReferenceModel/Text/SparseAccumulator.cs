namespace GenSafety.ReferenceModel.Text;

/// <summary>A dense array that remembers which entries are non-zero, so it can be scaled and cleared cheaply.</summary>
internal sealed class SparseAccumulator
{
    private double[] _values = [];
    private int[] _touched = [];
    private int _touchedCount;

    public void EnsureSize(int size)
    {
        if (_values.Length < size)
        {
            _values = new double[size];
            _touched = new int[size];
            _touchedCount = 0;
        }
    }

    public void Scale(double factor)
    {
        for (var i = 0; i < _touchedCount; i++)
        {
            _values[_touched[i]] *= factor;
        }
    }

    public void Add(int index, double value)
    {
        if (_values[index] == 0)
        {
            _touched[_touchedCount++] = index;
        }

        _values[index] += value;
    }

    /// <summary>Adds every non-zero entry to <paramref name="target"/> and clears the accumulator.</summary>
    public void DrainInto(Span<double> target)
    {
        for (var i = 0; i < _touchedCount; i++)
        {
            var index = _touched[i];
            target[index] += _values[index];
            _values[index] = 0;
        }

        _touchedCount = 0;
    }
}
