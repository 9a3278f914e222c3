using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Usage;

/// <summary>
/// Adds each authenticated request (and the tokens the upstream reported) to the client's usage in the state store.
/// The write happens after the response, off the client's critical path; a failed write is logged and counted by
/// the state store's metrics, never turned into an error for a request that already succeeded.
/// </summary>
internal sealed partial class UsageRecordingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IClientStateStore _store;
    private readonly ILogger<UsageRecordingMiddleware> _logger;

    public UsageRecordingMiddleware(RequestDelegate next, IClientStateStore store, ILogger<UsageRecordingMiddleware> logger)
    {
        _next = next;
        _store = store;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context);
        var identity = context.Features.Get<ClientIdentity>();
        if (identity is null)
        {
            return;
        }

        var usage = context.Features.Get<TokenUsage>();
        try
        {
            var pending = _store.RecordUsageAsync(identity.Tenant, identity.ClientId, usage?.PromptTokens ?? 0, usage?.CompletionTokens ?? 0, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                // Not awaited: the response is already complete and the client need not wait for bookkeeping.
                _ = ObserveAsync(pending);
            }
        }
        catch (StateStoreUnavailableException)
        {
            LogUsageNotRecorded(_logger);
        }
    }

    private async Task ObserveAsync(ValueTask<ClientUsage> pending)
    {
        try
        {
            await pending;
        }
        catch (StateStoreUnavailableException)
        {
            LogUsageNotRecorded(_logger);
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Usage could not be recorded: state store unavailable")]
    private static partial void LogUsageNotRecorded(ILogger logger);
}
