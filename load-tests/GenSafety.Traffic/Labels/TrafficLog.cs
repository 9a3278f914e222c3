using System.Text.Json;

namespace GenSafety.Traffic.Labels;

/// <summary>
/// Collects records: every request record in memory (for summaries and tests) and, when a path is given, every
/// record as one JSON line (snake_case, nulls omitted) as it arrives. Thread-safe.
/// </summary>
public sealed class TrafficLog : IDisposable
{
    /// <summary>The JSON settings of every line.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly List<RequestRecord> _requests = [];
    private readonly StreamWriter? _writer;
    private readonly Lock _lock = new();

    /// <summary>A log that keeps records in memory and, with <paramref name="path"/>, appends them to that JSONL file.</summary>
    public TrafficLog(string? path = null)
    {
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _writer = new StreamWriter(path, append: false) { AutoFlush = false };
        }
    }

    /// <summary>Request records so far, in arrival order.</summary>
    public IReadOnlyList<RequestRecord> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Adds a request record.</summary>
    public void Add(RequestRecord record)
    {
        lock (_lock)
        {
            _requests.Add(record);
            _writer?.WriteLine(JsonSerializer.Serialize(record, Json));
        }
    }

    /// <summary>Writes any other record (campaign header, client summary, attack report) as one line, with the properties of its runtime type; it should have a <c>type</c> property.</summary>
    public void Write(object record)
    {
        lock (_lock)
        {
            _writer?.WriteLine(JsonSerializer.Serialize(record, record.GetType(), Json));
        }
    }

    /// <summary>Flushes the file.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _writer?.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
        }
    }
}
