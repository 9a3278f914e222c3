using System.Runtime.CompilerServices;

namespace GenSafety.Gateway.Streaming;

/// <summary>The state of one <see cref="SseStreamPump.RunAsync"/> call.</summary>
internal sealed partial class SseStreamPumpRun : IDisposable
{
    private readonly IReadOnlyList<IStreamTransformSession> _sessions;
    private readonly TransformOutput[] _outputs;
    private readonly SsePumpOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SseReader _reader;
    private readonly SseWriter _writer;
    private readonly ChunkMetadata _metadata = new();
    private readonly long _started;
    private StreamEndReason? _endReason;
    private bool _clientFailed;
    private bool _closed;
    private bool _upstreamCompleted;
    private long _eventsIn;
    private long _eventsOut;
    private long _commentsOut;
    private TimeSpan? _timeToFirstEvent;

    public SseStreamPumpRun(Stream upstream, Stream downstream, IReadOnlyList<IStreamTransformSession> sessions, SsePumpOptions options)
    {
        _sessions = sessions;
        _options = options;
        _logger = options.Logger;
        _timeProvider = options.TimeProvider;
        _started = _timeProvider.GetTimestamp();
        _reader = new SseReader(upstream, options.ReaderOptions, _timeProvider);
        _writer = new SseWriter(downstream);
        _outputs = new TransformOutput[sessions.Count];
        for (int i = 0; i < _outputs.Length; i++)
        {
            _outputs[i] = new TransformOutput(this, i + 1);
        }
    }

    public bool IsEnded => _endReason is not null;

    public async ValueTask<SsePumpResult> RunAsync(CancellationToken cancellationToken)
    {
        Ending ending;
        try
        {
            try
            {
                ending = await PumpEventsAsync(cancellationToken);
            }
            catch (Exception ex) when (!IsClientGone(cancellationToken))
            {
                // Read faults are handled inside; what escapes is a session (or gateway) failure.
                ending = new Ending(SsePumpOutcome.TransformError, SseStreamErrorCodes.GatewayError, ex);
            }

            if (IsClientGone(cancellationToken))
            {
                ending = ending with { Outcome = SsePumpOutcome.ClientDisconnected };
            }
            else
            {
                await WriteEndingAsync(ending, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            _clientFailed = true;
            ending = new Ending(SsePumpOutcome.ClientDisconnected, null, ex);
        }
        finally
        {
            _closed = true;
            await DisposeSessionsAsync();
        }

        Log(ending);
        return new SsePumpResult
        {
            Outcome = ending.Outcome,
            EventsIn = _eventsIn,
            EventsOut = _eventsOut,
            CommentsOut = _commentsOut,
            UpstreamCompleted = _upstreamCompleted,
            EndReason = _endReason,
            ErrorCode = ending.Code,
            Error = ending.Error,
            UpstreamWaitTime = _reader.ReadWaitTime,
            TimeToFirstEvent = _timeToFirstEvent,
            Duration = _timeProvider.GetElapsedTime(_started),
        };
    }

    /// <summary>Passes <paramref name="sseEvent"/> to session <paramref name="index"/>, or to the client after the last.</summary>
    public ValueTask DeliverAsync(int index, SseEvent sseEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sseEvent);

        // After End, after the stream was closed, and for a [DONE] a session made up: dropped. The pump alone ends streams.
        if (_endReason is not null || _closed || _clientFailed || sseEvent.IsDone)
        {
            return default;
        }

        return index < _sessions.Count
            ? _sessions[index].OnEventAsync(sseEvent, _outputs[index], cancellationToken)
            : WriteToClientAsync(sseEvent, cancellationToken);
    }

    public void End(StreamEndReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (!_closed)
        {
            _endReason ??= reason;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
    }

    private async ValueTask<Ending> PumpEventsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Buffered upstream bytes parse without awaiting, so check for a gone client here too.
            cancellationToken.ThrowIfCancellationRequested();
            if (_clientFailed)
            {
                return new Ending(SsePumpOutcome.ClientDisconnected, null, null);
            }

            SseEvent? sseEvent;
            try
            {
                sseEvent = await _reader.ReadAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return Ending.ReadFailed(ex);
            }

            if (sseEvent is null)
            {
                return new Ending(SsePumpOutcome.UpstreamError, SseStreamErrorCodes.UpstreamTruncated, null);
            }

            if (sseEvent.Kind == SseEventKind.Comment)
            {
                await WriteToClientAsync(sseEvent, cancellationToken);
                continue;
            }

            if (sseEvent.IsDone)
            {
                _upstreamCompleted = true;
                return await CompleteSessionsAsync(cancellationToken);
            }

            if (!_metadata.TryObserve(_reader.CurrentData.Span))
            {
                return new Ending(SsePumpOutcome.UpstreamError, SseStreamErrorCodes.UpstreamInvalidResponse, null);
            }

            _eventsIn++;
            await DeliverAsync(0, sseEvent, cancellationToken);
            if (_endReason is not null)
            {
                return new Ending(SsePumpOutcome.EndedByTransform, null, null);
            }
        }
    }

    private async ValueTask<Ending> CompleteSessionsAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; i < _sessions.Count; i++)
        {
            await _sessions[i].OnCompletedAsync(_outputs[i], cancellationToken);
            if (_endReason is not null)
            {
                return new Ending(SsePumpOutcome.EndedByTransform, null, null);
            }
        }

        return new Ending(SsePumpOutcome.Completed, null, null);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteToClientAsync(SseEvent sseEvent, CancellationToken cancellationToken)
    {
        try
        {
            await _writer.WriteAsync(sseEvent, cancellationToken);
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            // A failed client write means the client is gone, whichever session's call it surfaces through.
            _clientFailed = true;
            throw;
        }

        if (sseEvent.Kind == SseEventKind.Comment)
        {
            _commentsOut++;
        }
        else
        {
            _eventsOut++;
            _timeToFirstEvent ??= _timeProvider.GetElapsedTime(_started);
        }
    }

    private async ValueTask WriteEndingAsync(Ending ending, CancellationToken cancellationToken)
    {
        // From here on sessions can no longer write (a background write after the end would corrupt the stream).
        _closed = true;
        if (ending.Outcome != SsePumpOutcome.Completed)
        {
            using var json = new PooledBufferWriter(512);
            if (ending.Outcome == SsePumpOutcome.EndedByTransform)
            {
                long now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
                SseTerminalChunks.WriteContentFilterChunk(json, _options.RouteKind, _metadata, _endReason!, now);
            }
            else
            {
                bool upstream = ending.Outcome == SsePumpOutcome.UpstreamError;
                SseTerminalChunks.WriteError(
                    json,
                    ErrorMessage(ending.Code!, ending.Error),
                    upstream ? SseStreamErrorCodes.UpstreamErrorType : SseStreamErrorCodes.GatewayErrorType,
                    ending.Code!);
            }

            await _writer.WriteDataAsync(json.WrittenMemory, cancellationToken);
        }

        await _writer.WriteDoneAsync(cancellationToken);
    }

    private bool IsClientGone(CancellationToken cancellationToken) => _clientFailed || cancellationToken.IsCancellationRequested;

    private async ValueTask DisposeSessionsAsync()
    {
        for (int i = 0; i < _sessions.Count; i++)
        {
            try
            {
                await _sessions[i].DisposeAsync();
            }
            catch (Exception ex)
            {
                SseStreamPumpLog.SessionDisposeFailed(_logger, i, ex);
            }
        }
    }
}
