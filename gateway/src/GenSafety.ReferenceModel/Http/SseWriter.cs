using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace GenSafety.ReferenceModel.Http;

/// <summary>Writes server-sent events (<c>data: {json}\n\n</c>), flushing after each one.</summary>
internal sealed class SseWriter : IDisposable
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    private readonly HttpContext _context;
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    public SseWriter(HttpContext context)
    {
        _context = context;
        _pipe = context.Response.BodyWriter;
        _json = new Utf8JsonWriter(_pipe, PooledJson.Options);
    }

    /// <summary>Sends the response headers of an event stream.</summary>
    public async Task StartAsync()
    {
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        _context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(_context.RequestAborted);
    }

    /// <summary>Starts a <c>data:</c> event; write one JSON value with the returned writer, then call <see cref="EndEventAsync"/>.</summary>
    public Utf8JsonWriter BeginEvent()
    {
        _pipe.Write(DataPrefix.AsSpan());
        _json.Reset(_pipe);
        return _json;
    }

    public ValueTask EndEventAsync()
    {
        _json.Flush();
        _pipe.Write(EventEnd.AsSpan());
        return FlushAsync();
    }

    public ValueTask WriteDoneAsync()
    {
        _pipe.Write(Done.AsSpan());
        return FlushAsync();
    }

    public void Dispose() => _json.Dispose();

    private async ValueTask FlushAsync()
    {
        var result = await _pipe.FlushAsync(_context.RequestAborted);
        if (result.IsCanceled || result.IsCompleted)
        {
            // The client went away: stop generating.
            throw new OperationCanceledException("The client disconnected.", _context.RequestAborted);
        }
    }
}
