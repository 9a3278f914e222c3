using System.Text.Json;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Admission on the request path: the client's policy → one store call that checks and reserves requests, tokens
/// (input counted with cl100k, output reserved from <c>max_tokens</c> × <c>n</c> or the policy default), stream slots
/// and the daily quota. Rejected → <c>429 rate_limited</c> with <c>retry-after</c>; admitted → OpenAI-style
/// <c>x-ratelimit-*</c> headers, and after the response the reservation is reconciled with the upstream's
/// <c>usage</c> and the stream slot released. Policies without limits skip all of it.
/// </summary>
internal sealed partial class AdmissionMiddleware
{
    private static readonly Func<object, Task> AddHeaders = static state =>
    {
        var (context, decision) = ((HttpContext, AdmissionDecision))state;
        foreach (var header in decision.Headers())
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        return Task.CompletedTask;
    };

    private readonly RequestDelegate _next;
    private readonly AdmissionPolicies _policies;
    private readonly IAdmissionStore _store;
    private readonly PromptTokenCounter _counter;
    private readonly TimeProvider _time;
    private readonly ILogger<AdmissionMiddleware> _logger;

    public AdmissionMiddleware(RequestDelegate next, AdmissionPolicies policies, IAdmissionStore store, PromptTokenCounter counter, TimeProvider time, ILogger<AdmissionMiddleware> logger)
    {
        _next = next;
        _policies = policies;
        _store = store;
        _counter = counter;
        _time = time;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var identity = context.Features.Get<ClientIdentity>();
        var limits = _policies.Resolve(identity?.Policy);
        if (identity is null || !limits.HasLimits)
        {
            await _next(context);
            return;
        }

        var request = context.Features.Get<ProxyRequest>();
        var countsTokens = limits.TokensPerMinute > 0 || limits.DailyTokenQuota > 0;
        var body = request?.Json?.RootElement ?? default;
        var input = countsTokens && request is not null ? _counter.Count(request.RouteKind, body) : 0;
        var reserved = countsTokens ? limits.ReserveOutputTokens(MaxOutputTokens(body)) * Choices(body) : 0;

        AdmissionDecision decision;
        try
        {
            decision = await _store.AdmitAsync(new AdmissionRequest(identity, input, reserved, request?.IsStreaming ?? false, _time.GetUtcNow()), limits, context.RequestAborted);
        }
        catch (StateStoreUnavailableException)
        {
            LogStoreUnavailable(_logger);
            await OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable,
                "The gateway cannot check rate limits right now; retry shortly.");
            return;
        }

        context.Response.OnStarting(AddHeaders, (context, decision));
        if (!decision.Admitted || decision.Reservation is not { } reservation)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                $"Rate limit reached for {Describe(decision.Limit)} under policy '{limits.Name}'. Retry after {Math.Ceiling(decision.RetryAfter.TotalSeconds)} s.");
            return;
        }

        context.Features.Set(reservation);
        try
        {
            await _next(context);
        }
        finally
        {
            // The client already has its answer: settle the books off its path.
            _ = SettleAsync(reservation, ActualOutputTokens(context, reservation));
        }
    }

    private async Task SettleAsync(AdmissionReservation reservation, long actualOutputTokens)
    {
        try
        {
            if (reservation.ReservedOutputTokens > 0 || actualOutputTokens > 0)
            {
                await _store.ReconcileAsync(reservation, actualOutputTokens, CancellationToken.None);
            }

            if (reservation.IsStream)
            {
                await _store.ReleaseStreamAsync(reservation, CancellationToken.None);
            }
        }
        catch (StateStoreUnavailableException)
        {
            LogSettleFailed(_logger);
        }
    }

    // What the client got: the upstream's usage (JSON), or what StreamedUsageTransform counted (streams); nothing
    // when the request failed; else the reservation stands.
    private static long ActualOutputTokens(HttpContext context, AdmissionReservation reservation)
    {
        if (context.Features.Get<TokenUsage>() is { } usage)
        {
            return usage.CompletionTokens;
        }

        return context.Response.StatusCode >= 400 ? 0 : reservation.ReservedOutputTokens;
    }

    private static long? MaxOutputTokens(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var tokens))
            {
                return tokens;
            }
        }

        return null;
    }

    private static long Choices(JsonElement body)
        => body.ValueKind == JsonValueKind.Object && body.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var count) && count > 0 ? count : 1;

    private static string Describe(AdmissionLimit limit) => limit switch
    {
        AdmissionLimit.Requests => "requests per minute",
        AdmissionLimit.Tokens => "tokens per minute",
        AdmissionLimit.ConcurrentStreams => "concurrent streams",
        AdmissionLimit.DailyTokens => "the daily token quota",
        _ => "this client",
    };

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Admission store unavailable; request refused with 503")]
    private static partial void LogStoreUnavailable(ILogger logger);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Reconciling an admission reservation failed: state store unavailable")]
    private static partial void LogSettleFailed(ILogger logger);
}
