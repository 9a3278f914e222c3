namespace GenSafety.Detectors.Extraction;

/// <summary>
/// A fixed-capacity ring of quantised vectors (first in, first out). Slots are physical positions; index i of
/// <see cref="SlotAt"/> is the i-th oldest. Stored oldest first, each vector as a float scale and its codes.
/// </summary>
internal sealed class QuantizedVectorSet
{
    private readonly sbyte[] _codes;
    private readonly float[] _scales;
    private readonly int[] _norms;
    private int _next;

    public QuantizedVectorSet(int capacity, int dimensions)
    {
        Capacity = capacity;
        Dimensions = dimensions;
        _codes = new sbyte[capacity * dimensions];
        _scales = new float[capacity];
        _norms = new int[capacity];
    }

    public int Capacity { get; }

    public int Dimensions { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The slot the next <see cref="Add"/> writes, which holds the oldest vector once the set is full.</summary>
    public int NextSlot => _next;

    /// <summary>Bytes of <paramref name="count"/> stored vectors of <paramref name="dimensions"/> codes.</summary>
    public static int StoredSize(int count, int dimensions) => count * (sizeof(float) + dimensions);

    public ReadOnlySpan<sbyte> Code(int slot) => _codes.AsSpan(slot * Dimensions, Dimensions);

    /// <summary>The slot of the <paramref name="index"/>-th oldest vector.</summary>
    public int SlotAt(int index) => IsFull ? (_next + index) % Capacity : index;

    /// <summary>Stores <paramref name="vector"/>, replacing the oldest when full; returns its slot.</summary>
    public int Add(in QuantizedVector vector)
    {
        var slot = _next;
        vector.Code.CopyTo(_codes.AsSpan(slot * Dimensions, Dimensions));
        _scales[slot] = vector.Scale;
        _norms[slot] = vector.SquaredCodeNorm;
        _next = (_next + 1) % Capacity;
        if (Count < Capacity)
        {
            Count++;
        }

        return slot;
    }

    public double SquaredDistance(int slot, in QuantizedVector vector) =>
        QuantizedMath.SquaredDistance(_scales[slot], _norms[slot], vector.Scale, vector.SquaredCodeNorm, QuantizedMath.Dot(Code(slot), vector.Code));

    public double SquaredDistance(int slot, int otherSlot) =>
        QuantizedMath.SquaredDistance(_scales[slot], _norms[slot], _scales[otherSlot], _norms[otherSlot], QuantizedMath.Dot(Code(slot), Code(otherSlot)));

    /// <summary>The vector in <paramref name="slot"/>, as a <see cref="QuantizedVector"/> view.</summary>
    public QuantizedVector At(int slot) => new(Code(slot), _scales[slot], _norms[slot]);

    public void Write(ref StateWriter writer)
    {
        for (var i = 0; i < Count; i++)
        {
            WriteEntry(ref writer, SlotAt(i));
        }
    }

    /// <summary>Reads <paramref name="count"/> vectors written by <see cref="Write"/> into an empty set.</summary>
    public void Read(ref StateReader reader, int count)
    {
        for (var i = 0; i < count; i++)
        {
            ReadEntry(ref reader);
        }
    }

    public void WriteEntry(ref StateWriter writer, int slot)
    {
        writer.WriteSingle(_scales[slot]);
        writer.WriteCodes(Code(slot));
    }

    /// <summary>Reads one vector and adds it (in order, oldest first); returns its slot.</summary>
    public int ReadEntry(ref StateReader reader)
    {
        if (IsFull)
        {
            throw StateReader.Invalid("more vectors than the capacity");
        }

        var scale = reader.ReadSingle();
        if (!float.IsFinite(scale) || scale < 0)
        {
            throw StateReader.Invalid("a vector scale that is negative or not finite");
        }

        Span<sbyte> code = stackalloc sbyte[Dimensions];
        reader.ReadCodes(code);
        return Add(new QuantizedVector(code, scale, QuantizedMath.Dot(code, code)));
    }
}
