using System.Text;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// A bounded exact side map from indexed n-gram hash to the document it came from (the first one, when several
/// documents share an n-gram). It names the matched document in audit records and, while it holds every indexed
/// n-gram (<see cref="IsComplete"/>), confirms Bloom hits exactly. Cost: about 30 bytes per n-gram in memory and
/// 12 bytes serialised, against the Bloom filter's 1.8 bytes, hence the cap.
/// </summary>
public sealed class DocumentAttribution
{
    private const int FormatVersion = 1;

    private readonly Dictionary<ulong, int> _documentByNgram = [];
    private readonly List<string> _documentIds = [];

    /// <summary>Creates an empty map holding at most <paramref name="capacity"/> n-grams.</summary>
    public DocumentAttribution(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    /// <summary>Most n-grams kept.</summary>
    public int Capacity { get; }

    /// <summary>N-grams kept.</summary>
    public int Count => _documentByNgram.Count;

    /// <summary>False once an indexed n-gram could not be kept (the cap was reached): from then on the map only names documents.</summary>
    public bool IsComplete { get; private set; } = true;

    /// <summary>An empty map that confirms nothing (for an index loaded without its map).</summary>
    internal static DocumentAttribution Absent() => new(0) { IsComplete = false };

    /// <summary>Registers a document id and returns its ordinal.</summary>
    internal int AddDocument(string id)
    {
        _documentIds.Add(id);
        return _documentIds.Count - 1;
    }

    /// <summary>Records that <paramref name="ngramHash"/> was indexed from document <paramref name="ordinal"/>.</summary>
    internal void Add(ulong ngramHash, int ordinal)
    {
        if (_documentByNgram.ContainsKey(ngramHash))
        {
            return;
        }

        if (_documentByNgram.Count >= Capacity)
        {
            IsComplete = false;
            return;
        }

        _documentByNgram.Add(ngramHash, ordinal);
    }

    /// <summary>True when the n-gram is known to be indexed.</summary>
    public bool Contains(ulong ngramHash) => _documentByNgram.ContainsKey(ngramHash);

    /// <summary>Every n-gram hash the map holds (all indexed ones while <see cref="IsComplete"/>).</summary>
    internal IEnumerable<ulong> NgramHashes => _documentByNgram.Keys;

    /// <summary>Id of the document the n-gram was indexed from, or null when it is not kept.</summary>
    public string? DocumentOf(ulong ngramHash) =>
        _documentByNgram.TryGetValue(ngramHash, out var ordinal) ? _documentIds[ordinal] : null;

    /// <summary>The map as bytes: version, completeness, document ids (UTF-8), then (hash, ordinal) pairs, little-endian.</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(Capacity);
            writer.Write(IsComplete);
            writer.Write(_documentIds.Count);
            foreach (var id in _documentIds)
            {
                writer.Write(id);
            }

            writer.Write(_documentByNgram.Count);
            foreach (var (hash, ordinal) in _documentByNgram)
            {
                writer.Write(hash);
                writer.Write(ordinal);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a map written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such a map.</exception>
    public static DocumentAttribution Deserialize(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var buffer = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = new BinaryReader(buffer, Encoding.UTF8);
            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"Document attribution format {version} is not supported (expected {FormatVersion}).");
            }

            var map = new DocumentAttribution(reader.ReadInt32()) { IsComplete = reader.ReadBoolean() };
            var documents = reader.ReadInt32();
            for (var i = 0; i < documents; i++)
            {
                map._documentIds.Add(reader.ReadString());
            }

            var entries = reader.ReadInt32();
            if (documents < 0 || entries < 0 || entries > map.Capacity)
            {
                throw new InvalidDataException("Document attribution counts are out of range.");
            }

            for (var i = 0; i < entries; i++)
            {
                var hash = reader.ReadUInt64();
                var ordinal = reader.ReadInt32();
                if ((uint)ordinal >= (uint)documents)
                {
                    throw new InvalidDataException("Document attribution names a document that is not listed.");
                }

                map._documentByNgram[hash] = ordinal;
            }

            return buffer.Position == buffer.Length ? map : throw new InvalidDataException("Document attribution has trailing bytes.");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Document attribution is truncated.", e);
        }
    }
}
