using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GenSafety.Detectors.Extraction;

/// <summary>Writes a state's fields little-endian into a span, front to back.</summary>
internal ref struct StateWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public StateWriter(Span<byte> destination) => _destination = destination;

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Advance(sizeof(ushort)), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Advance(sizeof(int)), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Advance(sizeof(uint)), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Advance(sizeof(long)), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Advance(sizeof(ulong)), value);

    public void WriteSingle(float value) => BinaryPrimitives.WriteSingleLittleEndian(Advance(sizeof(float)), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Advance(sizeof(double)), value);

    public void WriteCodes(scoped ReadOnlySpan<sbyte> codes) => MemoryMarshal.AsBytes(codes).CopyTo(Advance(codes.Length));

    private Span<byte> Advance(int count)
    {
        var span = _destination.Slice(_position, count);
        _position += count;
        return span;
    }
}
