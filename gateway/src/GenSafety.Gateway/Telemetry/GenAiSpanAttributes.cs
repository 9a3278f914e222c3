using System.Diagnostics;
using System.Text.Json;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;

namespace GenSafety.Gateway.Telemetry;

/// <summary>
/// GenAI semantic-convention attributes on the request's server span: operation, requested model, token usage,
/// plus the gateway's overhead and the client's tenant (never its id, key or any content).
/// </summary>
internal static class GenAiSpanAttributes
{
    private const int MaxModelLength = 128;

    public static void Add(Activity span, HttpContext context, string routeKind, TokenUsage? usage, UpstreamTiming timing)
    {
        span.SetTag("gensafety.route", routeKind);
        span.SetTag("gensafety.overhead_ms", timing.Overhead.TotalMilliseconds);
        if (context.Features.Get<ClientIdentity>() is { } identity)
        {
            span.SetTag("gensafety.tenant", identity.Tenant);
        }

        if (GenAiMetrics.OperationName(routeKind) is not { } operation)
        {
            return;
        }

        span.SetTag("gen_ai.operation.name", operation);
        if (context.Features.Get<ProxyRequest>() is { Json: { } json } request)
        {
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
            {
                var name = model.GetString()!;
                span.SetTag("gen_ai.request.model", name.Length <= MaxModelLength ? name : name[..MaxModelLength]);
            }

            span.SetTag("gensafety.stream", request.IsStreaming);
        }

        if (usage is not null)
        {
            span.SetTag("gen_ai.usage.input_tokens", usage.PromptTokens);
            span.SetTag("gen_ai.usage.output_tokens", usage.CompletionTokens);
        }

        if (timing.TimeToFirstToken is { } first)
        {
            span.SetTag("gensafety.time_to_first_token_ms", first.TotalMilliseconds);
        }
    }
}
