using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace GenSafety.Gateway.Streaming;

/// <summary>
/// Reads server-sent events from a stream as they arrive, following the WHATWG parsing rules: lines end in LF,
/// CR or CRLF; <c>field: value</c> with one leading space stripped; a line without a colon is a field with an empty
/// value; <c>data</c> lines are joined with '\n'; <c>event</c>, <c>id</c> (ignored when it contains NUL) and
/// <c>retry</c> (ASCII digits only) are kept; other fields are ignored; a blank line dispatches; an event without
/// <c>data</c> is not dispatched; a leading UTF-8 BOM is skipped. Unlike a browser, comment lines are returned
/// (as <see cref="SseEventKind.Comment"/>) so the gateway can forward keep-alives.
/// </summary>
/// <remarks>
/// Fields are per event: <see cref="SseEvent.Id"/> and <see cref="SseEvent.Retry"/> are set only on the event whose
/// block carried them, so a proxy forwards exactly what it received (<see cref="LastEventId"/> keeps the spec's
/// running value). Buffers come from the array pool; nothing beyond the current line and the current event's data
/// is held, and both are bounded by <see cref="SseReaderOptions.MaxEventBytes"/>. Not thread-safe.
/// </remarks>
public sealed partial class SseReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxEventBytes;
    private readonly PooledBufferWriter _data;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _skipLeadingLf;
    private bool _bomChecked;
    private bool _eof;

    // The event being built: raw bytes so far, whether a data line was seen, and its other fields.
    private int _eventBytes;
    private bool _hasData;
    private string? _eventType;
    private string? _id;
    private int? _retry;

    /// <summary>Creates a reader over <paramref name="stream"/>, which it does not own.</summary>
    /// <param name="stream">The upstream body.</param>
    /// <param name="options">Limits; <see cref="SseReaderOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock for <see cref="ReadWaitTime"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public SseReader(Stream stream, SseReaderOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= SseReaderOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEventBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InitialBufferSize, 1, nameof(options));
        _stream = stream;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxEventBytes = options.MaxEventBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(options.InitialBufferSize);
        _data = new PooledBufferWriter(256);
    }

    /// <summary>
    /// Whether the stream ended inside an event or line (no terminating blank line): the upstream was cut short.
    /// Meaningful once <see cref="ReadAsync"/> returned <see langword="null"/>.
    /// </summary>
    public bool EndedMidEvent { get; private set; }

    /// <summary>
    /// The UTF-8 bytes of the data of the event last returned by <see cref="ReadAsync"/> (empty after a comment).
    /// Valid only until the next call, which reuses the buffer. Lets callers parse JSON without re-encoding.
    /// </summary>
    public ReadOnlyMemory<byte> CurrentData { get; private set; }

    /// <summary>The spec's last event ID: the value of the most recent accepted <c>id</c> field.</summary>
    public string LastEventId { get; private set; } = string.Empty;

    /// <summary>Total bytes read from the stream.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Time spent awaiting reads of the underlying stream (that is, waiting on the upstream).</summary>
    public TimeSpan ReadWaitTime { get; private set; }

    /// <summary>
    /// Returns the next event or comment, or <see langword="null"/> at the end of the stream (see <see cref="EndedMidEvent"/>).
    /// </summary>
    /// <exception cref="SseProtocolException">An event is too large or not valid UTF-8.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        CurrentData = ReadOnlyMemory<byte>.Empty;
        while (true)
        {
            SseEvent? sseEvent = ParseBuffered();
            if (sseEvent is not null)
            {
                return sseEvent;
            }

            if (_eof)
            {
                // Per spec, pending data at end of file is discarded; say so for the caller.
                EndedMidEvent = _end > _start || _eventBytes > 0;
                return null;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Returns the pooled buffers. Does not dispose the stream.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _data.Dispose();
        CurrentData = ReadOnlyMemory<byte>.Empty;
    }

    // Parses complete lines already buffered; null when more bytes are needed.
    private SseEvent? ParseBuffered()
    {
        if (!_bomChecked && !TrySkipBom())
        {
            return null;
        }

        while (true)
        {
            if (_skipLeadingLf)
            {
                // The previous line ended in a CR that was the last byte read; an LF now completes that CRLF.
                if (_start == _end)
                {
                    return null;
                }

                _skipLeadingLf = false;
                if (_buffer[_start] == (byte)'\n')
                {
                    _start++;
                }
            }

            int found = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOfAny((byte)'\r', (byte)'\n');
            if (found < 0)
            {
                _scanned = _end - _start;
                if (_eventBytes + _scanned > _maxEventBytes)
                {
                    throw TooLarge();
                }

                return null;
            }

            int lineStart = _start;
            int lineLength = _scanned + found;
            int lineEnd = lineStart + lineLength;
            int terminatorLength = 1;
            if (_buffer[lineEnd] == (byte)'\r')
            {
                if (lineEnd + 1 == _end)
                {
                    // Dispatch now rather than wait for a possible LF (latency); skip it if it comes.
                    _skipLeadingLf = true;
                }
                else if (_buffer[lineEnd + 1] == (byte)'\n')
                {
                    terminatorLength = 2;
                }
            }

            _start = lineEnd + terminatorLength;
            _scanned = 0;
            SseEvent? sseEvent = ProcessLine(lineStart, lineLength, lineLength + terminatorLength);
            if (sseEvent is not null)
            {
                return sseEvent;
            }
        }
    }

    private bool TrySkipBom()
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        ReadOnlySpan<byte> head = _buffer.AsSpan(_start, _end - _start);
        if (head.Length < bom.Length && !_eof && bom.StartsWith(head))
        {
            return false;
        }

        if (head.StartsWith(bom))
        {
            _start += bom.Length;
        }

        _bomChecked = true;
        return true;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
        else if (_start > 0 && _buffer.Length - _end < _buffer.Length / 4)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // Only a line longer than the buffer gets here; the limit check in ParseBuffered bounds it.
            byte[] grown = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(_start, _end - _start).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
            _end -= _start;
            _start = 0;
        }

        long started = _timeProvider.GetTimestamp();
        int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        ReadWaitTime += _timeProvider.GetElapsedTime(started);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        _end += read;
        BytesRead += read;
    }
}
