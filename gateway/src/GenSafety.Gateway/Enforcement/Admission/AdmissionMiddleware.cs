using System.Diagnostics;
using System.Text.Json;
using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Admission and the enforcement ladder on the request path, in one store call: the client's policy and level,
/// requests, tokens (input counted with cl100k, output reserved from <c>max_tokens</c> × <c>n</c> or the policy
/// default), stream slots, the daily quota and proof-of-work redemption. Then, by the level's actions: block
/// (<c>403 client_blocked</c>), challenge (<c>429 challenge_required</c> + <c>x-gensafety-challenge</c>), delay,
/// degrade (an <see cref="EnforcementOutcome"/> feature for the shaping and response steps). Limits →
/// <c>429 rate_limited</c> with <c>retry-after</c>; admitted → <c>x-ratelimit-*</c>, and after the response one
/// settlement call reconciles tokens, frees the stream slot and records usage.
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
    private readonly LevelActions _actions;
    private readonly RiskLadder _ladder;
    private readonly ProofOfWorkService _pow;
    private readonly DegradeRequestShaper _shaper;
    private readonly double _defaultCoverage;
    private readonly ClientAuthenticator _authenticator;
    private readonly EnforcementMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AdmissionMiddleware> _logger;

    public AdmissionMiddleware(
        RequestDelegate next, AdmissionPolicies policies, IAdmissionStore store, PromptTokenCounter counter, LevelActions actions, RiskLadder ladder,
        ProofOfWorkService pow, DegradeRequestShaper shaper, IOptions<DegradeOptions> degrade, ClientAuthenticator authenticator, EnforcementMetrics metrics,
        TimeProvider time, ILogger<AdmissionMiddleware> logger)
    {
        _shaper = shaper;
        _defaultCoverage = degrade.Value.DefaultCoverage;
        _next = next;
        _policies = policies;
        _store = store;
        _counter = counter;
        _actions = actions;
        _ladder = ladder;
        _pow = pow;
        _authenticator = authenticator;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var identity = context.Features.Get<ClientIdentity>();
        if (identity is null)
        {
            await _next(context);
            return;
        }

        var request = context.Features.Get<ProxyRequest>();
        var route = request?.RouteKind ?? RouteKindMetadata.Of(context);
        var proofHeader = context.Request.Headers[ProofOfWorkService.ProofHeaderName].ToString();
        var proof = proofHeader.Length == 0 ? default : _pow.Inspect(proofHeader, identity);
        var proofInput = proofHeader.Length == 0 ? ProofOfWorkProof.None
            : proof is { Result: ChallengeResult.Valid, Claims: { } claims } ? ProofOfWorkProof.Valid(claims.TokenId, claims.ExpiresAt)
            : ProofOfWorkProof.Invalid;

        AdmissionDecision decision;
        PolicyLimits limits;
        IReadOnlyList<EnforcementActions> table;
        try
        {
            (decision, limits, table) = await AdmitTracedAsync(context, identity, request, route, proofInput);
        }
        catch (StateStoreUnavailableException ex)
        {
            LogStoreUnavailable(_logger, ex);
            await OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable,
                "The gateway cannot check rate limits right now; retry shortly.");
            return;
        }

        var actions = table[(int)decision.Level];
        if (proofHeader.Length > 0)
        {
            RecordProof(decision, proof, identity);
        }

        context.Response.OnStarting(AddHeaders, (context, decision));
        if (!decision.Admitted || decision.Reservation is not { } reservation)
        {
            await RejectAsync(context, decision, limits, identity);
            return;
        }

        var outcome = new EnforcementOutcome(decision.Level, decision.Risk, decision.Coverage ?? _defaultCoverage, actions);
        context.Features.Set(reservation);
        context.Features.Set(outcome);
        try
        {
            if ((decision.Level == EnforcementLevel.Allow && !_shaper.ShapesUndegraded) || await ApplyAsync(context, outcome, limits.Name))
            {
                await _next(context);
            }
        }
        finally
        {
            // The client already has its answer: settle the books off its path.
            _ = SettleAsync(reservation, ActualOutputTokens(context, reservation), Usage(context, reservation));
        }
    }

    private async Task<(AdmissionDecision, PolicyLimits, IReadOnlyList<EnforcementActions>)> AdmitTracedAsync(
        HttpContext context, ClientIdentity identity, ProxyRequest? request, string route, ProofOfWorkProof proof)
    {
        using var span = GatewayTracing.Start(GatewayTracing.Admission);
        try
        {
            var result = await AdmitAsync(context, identity, request, route, proof);
            _metrics.Risk(result.Item1.Level, result.Item1.Risk);
            if (span is not null)
            {
                span.SetTag("gensafety.level", (int)result.Item1.Level);
                span.SetTag("gensafety.admitted", result.Item1.Admitted);
                span.SetTag("gensafety.risk", result.Item1.Risk);
            }

            return result;
        }
        catch (StateStoreUnavailableException) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, ErrorCodes.StateStoreUnavailable);
            throw;
        }
    }

    private async Task<(AdmissionDecision, PolicyLimits, IReadOnlyList<EnforcementActions>)> AdmitAsync(
        HttpContext context, ClientIdentity identity, ProxyRequest? request, string route, ProofOfWorkProof proof)
    {
        var body = request?.Json?.RootElement ?? default;
        var input = request is not null ? _counter.Count(request.RouteKind, body) : 0;
        for (var attempt = 0; ; attempt++)
        {
            var limits = _policies.Resolve(identity.Policy);
            var table = _actions.For(limits.Name, route);
            var countsTokens = limits.TokensPerMinute > 0 || limits.DailyTokenQuota > 0;
            var reserved = countsTokens ? limits.ReserveOutputTokens(OutputTokenLimit.Read(body)) * Choices(body) : 0;
            var admission = new AdmissionRequest(identity, countsTokens ? input : 0, reserved, request?.IsStreaming ?? false, _time.GetUtcNow())
            {
                ProofOfWorkLevels = LevelActions.Mask(table, EnforcementActions.ProofOfWork),
                BlockLevels = LevelActions.Mask(table, EnforcementActions.Block),
                Proof = proof,
            };
            var decision = await _store.AdmitAsync(admission, limits, context.RequestAborted);
            if (decision.Limit == AdmissionLimit.PolicyChanged && decision.StoredPolicy is { } stored && attempt == 0)
            {
                // An admin changed the policy on some replica: drop the stale identity here and decide again.
                _authenticator.Forget(identity.Tenant, identity.ClientId);
                identity = identity with { Policy = stored };
                context.Features.Set(identity);
                continue;
            }

            return (decision, limits, table);
        }
    }

    // Delay, then shape the request (or refuse it): with the degrade caps when the level degrades, and with the
    // API-surface rules for everyone. False when the request was answered here.
    private async Task<bool> ApplyAsync(HttpContext context, EnforcementOutcome outcome, string policy)
    {
        if ((outcome.Actions & EnforcementActions.Delay) != 0)
        {
            var delay = _ladder.DelayFor(outcome.Risk);
            _metrics.Action(outcome.Level, "delay", policy);
            _metrics.Delay(delay);
            await Task.Delay(delay, _time, context.RequestAborted);
        }

        if (outcome.Degrades)
        {
            _metrics.Action(outcome.Level, "degrade", policy);
        }
        else if (!_shaper.ShapesUndegraded)
        {
            return true;
        }

        if (context.Features.Get<ProxyRequest>() is not { Json: not null } request)
        {
            return true;
        }

        DegradeShapingResult shaped;
        using (var span = GatewayTracing.Start(GatewayTracing.Shaping))
        {
            shaped = _shaper.Shape(request, outcome.Degrades);
            span?.SetTag("gensafety.degrade", outcome.Degrades);
            span?.SetTag("gensafety.rewritten", shaped.Body is not null);
        }

        if (shaped.Rejection is { } rejection)
        {
            await OpenAIError.WriteAsync(context, rejection.StatusCode, rejection.Code, rejection.Message, rejection.Param);
            return false;
        }

        if (shaped.Body is { } body)
        {
            var replaced = new ProxyRequest(request.RouteKind, body, JsonDocument.Parse(body));
            context.Response.RegisterForDispose(replaced);
            context.Features.Set(replaced);
            context.Request.Body = new MemoryStream(body, writable: false);
            context.Request.ContentLength = body.Length;
            DegradedHeader.Append(context.Response, shaped.Changes);
        }

        return true;
    }

    private async Task RejectAsync(HttpContext context, AdmissionDecision decision, PolicyLimits limits, ClientIdentity identity)
    {
        switch (decision.Limit)
        {
            case AdmissionLimit.UnknownClient:
            case AdmissionLimit.PolicyChanged:
                _authenticator.Forget(identity.Tenant, identity.ClientId);
                await OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidApiKey,
                    "This API key's client no longer exists.");
                return;
            case AdmissionLimit.Blocked:
                _metrics.Action(decision.Level, "block", limits.Name);
                await OpenAIError.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.ClientBlocked,
                    decision.RetryAfter > TimeSpan.Zero
                        ? $"This client is blocked for suspected model extraction until {(_time.GetUtcNow() + decision.RetryAfter).ToString("u", System.Globalization.CultureInfo.InvariantCulture)}; contact the operator to appeal."
                        : "This client is blocked for suspected model extraction until an operator lifts the block.");
                return;
            case AdmissionLimit.ChallengeRequired:
            case AdmissionLimit.ChallengeRejected:
                var challenge = _pow.Issue(identity, _pow.Calibration.ForRisk(decision.Risk));
                _metrics.Action(decision.Level, "challenge", limits.Name);
                // Set when the response starts: writing the error clears headers set before it.
                context.Response.OnStarting(static state =>
                {
                    var (response, value) = ((HttpResponse, string))state;
                    response.Headers[ProofOfWorkService.ChallengeHeaderName] = value;
                    return Task.CompletedTask;
                }, (context.Response, challenge.HeaderValue));
                await OpenAIError.WriteAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.ChallengeRequired,
                    decision.Limit == AdmissionLimit.ChallengeRequired
                        ? $"Solve the proof-of-work in the {ProofOfWorkService.ChallengeHeaderName} header ({challenge.Bits} bits) and resend with {ProofOfWorkService.ProofHeaderName}: <token>:<nonce>."
                        : $"The proof-of-work was invalid, expired, for another client or already used; solve the new challenge in {ProofOfWorkService.ChallengeHeaderName}.");
                return;
            default:
                await OpenAIError.WriteAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    $"Rate limit reached for {Describe(decision.Limit)} under policy '{limits.Name}'. Retry after {Math.Ceiling(decision.RetryAfter.TotalSeconds)} s.");
                return;
        }
    }

    private void RecordProof(AdmissionDecision decision, ChallengeVerification proof, ClientIdentity identity)
    {
        var result = decision.Limit switch
        {
            AdmissionLimit.ChallengeRejected when proof.IsValid => ChallengeResult.Replayed,
            AdmissionLimit.None or AdmissionLimit.ChallengeRejected => proof.Result,
            _ => (ChallengeResult?)null,
        };
        if (result is { } r)
        {
            _pow.RecordOutcome(r, identity, proof.Claims?.Bits ?? 0);
            _metrics.Action(decision.Level, r == ChallengeResult.Valid ? "pow_accepted" : "pow_rejected", _policies.Resolve(identity.Policy).Name);
        }
    }

    private async Task SettleAsync(AdmissionReservation reservation, long actualOutputTokens, UsageDelta usage)
    {
        try
        {
            await _store.SettleAsync(reservation, actualOutputTokens, usage, CancellationToken.None);
        }
        catch (StateStoreUnavailableException ex)
        {
            LogSettleFailed(_logger, ex);
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

    private static UsageDelta Usage(HttpContext context, AdmissionReservation reservation)
        => context.Features.Get<TokenUsage>() is { } usage
            ? new UsageDelta(usage.PromptTokens, usage.CompletionTokens)
            : new UsageDelta(reservation.InputTokens, 0);

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
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Settling an admission reservation failed: state store unavailable")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception);
}
