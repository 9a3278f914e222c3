using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GenSafety.Detectors.Extraction;

/// <summary>Reads what <see cref="StateWriter"/> wrote; throws <see cref="InvalidDataException"/> past the end.</summary>
internal ref struct StateReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;

    public StateReader(ReadOnlySpan<byte> source) => _source = source;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _source.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(sizeof(ushort)));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(sizeof(uint)));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong)));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(sizeof(float)));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));

    public void ReadCodes(scoped Span<sbyte> destination) => Take(destination.Length).CopyTo(MemoryMarshal.AsBytes(destination));

    /// <summary>A count stored in the state, checked to lie in [0, <paramref name="max"/>].</summary>
    public int ReadCount(int max)
    {
        var count = ReadInt32();
        return count >= 0 && count <= max ? count : throw Invalid($"a count of {count} outside 0–{max}");
    }

    public static InvalidDataException Invalid(string what) => new($"The detector state is invalid: {what}.");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw Invalid("it ends early");
        }

        var span = _source.Slice(_position, count);
        _position += count;
        return span;
    }
}
