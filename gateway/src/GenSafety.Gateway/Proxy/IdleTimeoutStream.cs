namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Read-only wrapper that cancels a pending read when no bytes arrive within the idle timeout. The SSE pump reports
/// a read cancelled while the client is still there as <c>upstream_timeout</c>; cancelling the pending read also
/// aborts the upstream connection, so the model stops generating.
/// </summary>
/// <remarks>
/// One watchdog timer per stream checks the time since the pending read began, so a read costs two field writes
/// instead of a timer re-arm and a linked token source per event. Reads are cancelled through one token linked,
/// at construction, to the client's <c>RequestAborted</c>; the per-call token is expected to be that same token.
/// </remarks>
internal sealed class IdleTimeoutStream : Stream
{
    private static readonly TimeSpan MinimumCheckPeriod = TimeSpan.FromMilliseconds(50);

    private readonly Stream _inner;
    private readonly TimeProvider _time;
    private readonly long _idleTicks;
    private readonly CancellationTokenSource _cancel;
    private readonly ITimer _watchdog;
    private long _readStartedAt = -1;

    public IdleTimeoutStream(Stream inner, TimeSpan idleTimeout, CancellationToken requestAborted, TimeProvider? time = null)
    {
        _inner = inner;
        _time = time ?? TimeProvider.System;
        _idleTicks = (long)(idleTimeout.TotalSeconds * _time.TimestampFrequency);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var period = idleTimeout / 8 < MinimumCheckPeriod ? MinimumCheckPeriod : idleTimeout / 8;
        _watchdog = _time.CreateTimer(static state => ((IdleTimeoutStream)state!).Check(), this, period, period);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _readStartedAt, _time.GetTimestamp());
        try
        {
            return await _inner.ReadAsync(buffer, _cancel.Token);
        }
        finally
        {
            Volatile.Write(ref _readStartedAt, -1);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _watchdog.Dispose();
            _cancel.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _watchdog.DisposeAsync();
        _cancel.Dispose();
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private void Check()
    {
        var started = Volatile.Read(ref _readStartedAt);
        if (started >= 0 && _time.GetTimestamp() - started > _idleTicks)
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended between the check and the cancel.
            }
        }
    }
}
