using GenSafety.ReferenceModel.Http;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Hosting;

/// <summary>
/// Wraps every model request (<c>/v1/*</c>): counts it in <see cref="ReferenceModelActivity"/>, applies the
/// response delay, turns rejected requests into OpenAI-shaped errors and unexpected failures into 500s.
/// </summary>
internal sealed partial class ModelRequestMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ReferenceModelActivity _activity;
    private readonly IOptions<ReferenceModelOptions> _options;
    private readonly ILogger<ModelRequestMiddleware> _logger;

    public ModelRequestMiddleware(RequestDelegate next, ReferenceModelActivity activity, IOptions<ReferenceModelOptions> options, ILogger<ModelRequestMiddleware> logger)
    {
        _next = next;
        _activity = activity;
        _options = options;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        _activity.OnStarted();
        var aborted = context.RequestAborted;
        try
        {
            var delay = Pacing.ResponseDelayMs(context, _options.Value);
            if (delay > 0)
            {
                await Task.Delay(delay, aborted);
            }

            await _next(context);
            _activity.OnCompleted();
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // OperationCanceledException, or an IOException from writing to a closed connection.
            _activity.OnCancelled();
            Log.RequestCancelled(_logger, context.Request.Path);
        }
        catch (OpenAiRequestException error) when (!context.Response.HasStarted)
        {
            await OpenAiErrors.WriteAsync(context, error);
            _activity.OnCompleted();
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            Log.RequestFailed(_logger, context.Request.Path, error);
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "The reference model failed to process the request.", "server_error", null, null);
            _activity.OnCompleted();
        }
        catch (Exception error)
        {
            // The response has started (a stream failed midway): let Kestrel abort the connection.
            Log.RequestFailed(_logger, context.Request.Path, error);
            _activity.OnCompleted();
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Request to {Path} was cancelled by the client.")]
        public static partial void RequestCancelled(ILogger logger, PathString path);

        [LoggerMessage(2, LogLevel.Error, "Request to {Path} failed.")]
        public static partial void RequestFailed(ILogger logger, PathString path, Exception exception);
    }
}
