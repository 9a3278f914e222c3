using System.Globalization;
using System.Runtime.CompilerServices;

namespace GenSafety.Gateway.Streaming;

/// <summary>
/// Writes server-sent events to a stream (the client's response body) in canonical form — <c>event:</c>, <c>id:</c>,
/// <c>retry:</c>, one <c>data:</c> line per line of data, a blank line — and flushes after every event, so the client
/// sees each event as soon as the upstream sent it.
/// </summary>
/// <remarks>
/// Each event is encoded into one pooled buffer and written with a single write and flush. CR, LF and CRLF inside
/// data or comment text all start a new line, so a payload can never inject fields or events. Not thread-safe.
/// </remarks>
public sealed class SseWriter : IDisposable
{
    private static readonly byte[] DoneFrame = "data: [DONE]\n\n"u8.ToArray();

    private readonly Stream _stream;
    private readonly PooledBufferWriter _frame = new(1024);

    /// <summary>Creates a writer over <paramref name="stream"/>, which it does not own.</summary>
    public SseWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>Writes an event (or a comment, as <c>: text</c> lines and a blank line) and flushes.</summary>
    /// <exception cref="ArgumentException">The event type or id contains CR or LF, or the id contains NUL.</exception>
    public ValueTask WriteAsync(SseEvent sseEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sseEvent);
        _frame.Clear();
        if (sseEvent.Kind == SseEventKind.Comment)
        {
            WriteLines(": "u8, sseEvent.Data);
        }
        else
        {
            if (sseEvent.EventType is not null)
            {
                WriteField("event: "u8, sseEvent.EventType, nameof(sseEvent.EventType));
            }

            if (sseEvent.Id is not null)
            {
                if (sseEvent.Id.Contains('\0', StringComparison.Ordinal))
                {
                    throw new ArgumentException("An SSE id must not contain NUL.", nameof(sseEvent));
                }

                WriteField("id: "u8, sseEvent.Id, nameof(sseEvent.Id));
            }

            if (sseEvent.Retry is int retry)
            {
                _frame.Write("retry: "u8);
                retry.TryFormat(_frame.GetSpan(11), out int written, default, CultureInfo.InvariantCulture);
                _frame.Advance(written);
                _frame.Write((byte)'\n');
            }

            WriteLines("data: "u8, sseEvent.Data);
        }

        _frame.Write((byte)'\n');
        return SendAsync(_frame.WrittenMemory, cancellationToken);
    }

    /// <summary>
    /// Writes a data-only event whose data is already UTF-8 (such as JSON from <c>Utf8JsonWriter</c>) and flushes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="utf8Data"/> contains CR or LF.</exception>
    public ValueTask WriteDataAsync(ReadOnlyMemory<byte> utf8Data, CancellationToken cancellationToken = default)
    {
        if (utf8Data.Span.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            throw new ArgumentException("Raw data must be a single line.", nameof(utf8Data));
        }

        _frame.Clear();
        _frame.Write("data: "u8);
        _frame.Write(utf8Data.Span);
        _frame.Write("\n\n"u8);
        return SendAsync(_frame.WrittenMemory, cancellationToken);
    }

    /// <summary>Writes the OpenAI end-of-stream event <c>data: [DONE]</c> and flushes.</summary>
    public ValueTask WriteDoneAsync(CancellationToken cancellationToken = default) => SendAsync(DoneFrame, cancellationToken);

    /// <summary>Returns the pooled buffer. Does not dispose the stream.</summary>
    public void Dispose() => _frame.Dispose();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(frame, cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    private void WriteField(ReadOnlySpan<byte> prefix, string value, string name)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException($"The SSE {name} must not contain CR or LF.", nameof(value));
        }

        _frame.Write(prefix);
        _frame.WriteUtf8(value);
        _frame.Write((byte)'\n');
    }

    // One prefixed line per CR-, LF- or CRLF-separated line of text.
    private void WriteLines(ReadOnlySpan<byte> prefix, ReadOnlySpan<char> text)
    {
        while (true)
        {
            _frame.Write(prefix);
            int end = text.IndexOfAny('\r', '\n');
            if (end < 0)
            {
                _frame.WriteUtf8(text);
                _frame.Write((byte)'\n');
                return;
            }

            _frame.WriteUtf8(text[..end]);
            _frame.Write((byte)'\n');
            int next = text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
            text = text[next..];
        }
    }
}
