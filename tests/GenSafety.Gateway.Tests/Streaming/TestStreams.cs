using System.Text;

namespace GenSafety.Gateway.Tests.Streaming;

/// <summary>A read-only stream that hands out its bytes in chosen chunk sizes, and can fail or hang at the end.</summary>
internal sealed class ChunkedReadStream : Stream
{
    private readonly byte[] _bytes;
    private readonly Func<int, int> _chunkSize;
    private int _position;
    private int _reads;

    public ChunkedReadStream(byte[] bytes, Func<int, int>? chunkSize = null)
    {
        _bytes = bytes;
        _chunkSize = chunkSize ?? (_ => int.MaxValue);
    }

    public ChunkedReadStream(string text, Func<int, int>? chunkSize = null)
        : this(Encoding.UTF8.GetBytes(text), chunkSize)
    {
    }

    /// <summary>When set, a read at the end of the bytes throws this instead of returning 0.</summary>
    public Exception? FailAtEnd { get; init; }

    /// <summary>When set, a read at the end of the bytes waits for cancellation instead of returning 0.</summary>
    public bool HangAtEnd { get; init; }

    public int BytesServed => _position;

    public int Reads => _reads;

    public static ChunkedReadStream OneBytePerRead(string text) => new(text, _ => 1);

    public static ChunkedReadStream RandomChunks(string text, int seed)
    {
        var random = new Random(seed);
        return new ChunkedReadStream(text, _ => random.Next(1, 17));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _reads++;
        if (_position == _bytes.Length)
        {
            return FailAtEnd is null ? 0 : throw FailAtEnd;
        }

        int n = Math.Min(Math.Min(buffer.Length, _chunkSize(_reads)), _bytes.Length - _position);
        _bytes.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_position == _bytes.Length && HangAtEnd)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A write-only stream that records what was written and what had been written at each flush.</summary>
internal sealed class RecordingWriteStream : Stream
{
    private readonly MemoryStream _written = new();
    private readonly TaskCompletionSource _firstFlush = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;

    /// <summary>When set, the write with this 1-based number throws an <see cref="IOException"/>.</summary>
    public int FailOnWrite { get; init; }

    public List<string> Flushes { get; } = [];

    public Task FirstFlush => _firstFlush.Task;

    /// <summary>Released once per flush.</summary>
    public SemaphoreSlim FlushSignal { get; } = new(0);

    public string Text => Encoding.UTF8.GetString(_written.ToArray());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written.Length;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (++_writes == FailOnWrite)
        {
            throw new IOException("The client reset the connection.");
        }

        _written.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        Flushes.Add(Text);
        _firstFlush.TrySetResult();
        FlushSignal.Release();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
