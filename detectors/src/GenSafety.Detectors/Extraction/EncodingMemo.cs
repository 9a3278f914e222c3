using System.Numerics;
using System.Runtime.InteropServices;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// The latest encodings of one <see cref="VectorCodec"/>, keyed by the input vector's content: the vector detectors
/// (PRADA, near-duplicate, window-MMD) each encode every query vector of a batch, and a client that repeats a prompt
/// sends the same vector again, so most encodings were made a moment earlier. A direct-mapped table (a slot per hash,
/// a newer vector replaces an older one) in flat arrays allocated on first use, about 1 MiB per codec; a hit compares
/// the whole input, so it returns exactly what encoding would. Thread-safe.
/// </summary>
internal sealed class EncodingMemo
{
    private const int BudgetBytes = 1 << 20;

    private readonly Lock _gate = new();
    private readonly int _inputDimensions;
    private readonly int _storedDimensions;
    private readonly int _mask;
    private float[]? _inputs;
    private sbyte[]? _codes;
    private Slot[]? _slots;

    public EncodingMemo(int inputDimensions, int storedDimensions)
    {
        _inputDimensions = inputDimensions;
        _storedDimensions = storedDimensions;
        var slots = Math.Clamp(BudgetBytes / ((sizeof(float) * inputDimensions) + storedDimensions), 16, 1024);
        _mask = (int)BitOperations.RoundUpToPowerOf2((uint)slots + 1) / 2 - 1;
    }

    /// <summary>Slots of the table (a power of two).</summary>
    public int Slots => _mask + 1;

    /// <summary>Copies the remembered code of <paramref name="vector"/> into <paramref name="code"/>, if there is one.</summary>
    public bool TryGet(ReadOnlySpan<float> vector, Span<sbyte> code, int key, out float scale, out int squaredNorm)
    {
        lock (_gate)
        {
            var index = key & _mask;
            if (_slots is not null && _slots[index] is { Used: true } slot && slot.Key == key && vector.Length == _inputDimensions
                && MemoryMarshal.AsBytes(_inputs.AsSpan(index * _inputDimensions, _inputDimensions)).SequenceEqual(MemoryMarshal.AsBytes(vector)))
            {
                _codes.AsSpan(index * _storedDimensions, _storedDimensions).CopyTo(code);
                (scale, squaredNorm) = (slot.Scale, slot.SquaredNorm);
                return true;
            }
        }

        (scale, squaredNorm) = (0, 0);
        return false;
    }

    /// <summary>Remembers the code of <paramref name="vector"/>, in place of the slot's previous vector.</summary>
    public void Add(ReadOnlySpan<float> vector, ReadOnlySpan<sbyte> code, int key, float scale, int squaredNorm)
    {
        if (vector.Length != _inputDimensions || code.Length < _storedDimensions)
        {
            return;
        }

        lock (_gate)
        {
            _slots ??= new Slot[_mask + 1];
            _inputs ??= new float[_slots.Length * _inputDimensions];
            _codes ??= new sbyte[_slots.Length * _storedDimensions];
            var index = key & _mask;
            vector.CopyTo(_inputs.AsSpan(index * _inputDimensions, _inputDimensions));
            code[.._storedDimensions].CopyTo(_codes.AsSpan(index * _storedDimensions, _storedDimensions));
            _slots[index] = new Slot(true, key, scale, squaredNorm);
        }
    }

    /// <summary>A hash of the vector's bits (bit patterns, so that 0 and -0 differ as the comparison does).</summary>
    public static int Key(ReadOnlySpan<float> vector)
    {
        var bits = MemoryMarshal.Cast<float, uint>(vector);
        var i = 0;
        var lanes = Vector<uint>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var multiplier = new Vector<uint>(0x9E3779B1u);
            for (; i <= bits.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                lanes = ((lanes ^ new Vector<uint>(bits[i..])) * multiplier) ^ Vector.ShiftRightLogical(lanes, 15);
            }
        }

        var hash = new HashCode();
        hash.Add(bits.Length);
        for (var lane = 0; lane < Vector<uint>.Count; lane++)
        {
            hash.Add(lanes[lane]);
        }

        for (; i < bits.Length; i++)
        {
            hash.Add(bits[i]);
        }

        return hash.ToHashCode();
    }

    private readonly record struct Slot(bool Used, int Key, float Scale, int SquaredNorm);
}
