using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Telemetry;

/// <summary>
/// OpenTelemetry GenAI semantic-convention instruments (meter <c>GenSafety.Gateway.GenAI</c>):
/// <c>gen_ai.client.token.usage</c>, <c>gen_ai.server.request.duration</c>, <c>gen_ai.server.time_to_first_token</c> and
/// <c>gen_ai.server.time_per_output_token</c>. Attributes are the operation name, the token type and the error type only:
/// the requested model is client-chosen text (unbounded), and client ids never become labels.
/// </summary>
public sealed class GenAiMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "GenSafety.Gateway.GenAI";

    /// <summary>Token-count buckets of the semantic conventions (powers of 4 from 1 to 67,108,864).</summary>
    internal static readonly double[] TokenBuckets = BuildTokenBuckets();

    private static readonly KeyValuePair<string, object?> InputType = new("gen_ai.token.type", "input");
    private static readonly KeyValuePair<string, object?> OutputType = new("gen_ai.token.type", "output");

    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _timePerOutputToken;

    /// <summary>Creates the instruments.</summary>
    public GenAiMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _tokenUsage = meter.CreateHistogram<long>("gen_ai.client.token.usage", unit: "{token}",
            description: "Tokens per answered request, by operation and token type (input or output), as the upstream reported them.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets.Select(b => (long)b).ToArray() });
        _requestDuration = meter.CreateHistogram<double>("gen_ai.server.request.duration", unit: "s",
            description: "Time to answer a generative request at the gateway, upstream included, by operation and error type.");
        _timeToFirstToken = meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", unit: "s",
            description: "Time from receiving a streamed request to writing its first data event to the client.");
        _timePerOutputToken = meter.CreateHistogram<double>("gen_ai.server.time_per_output_token", unit: "s",
            description: "Time per output token after the first one in streamed responses.");
    }

    /// <summary>The <c>gen_ai.operation.name</c> of a route kind, or null for routes that generate nothing.</summary>
    public static string? OperationName(string routeKind) => routeKind switch
    {
        RouteKinds.ChatCompletions => "chat",
        RouteKinds.Completions => "text_completion",
        RouteKinds.Embeddings => "embeddings",
        RouteKinds.ImagesGenerations => "generate_content",
        _ => null,
    };

    /// <summary>Records one finished proxied request; routes that generate nothing are ignored.</summary>
    public void RequestFinished(string routeKind, int statusCode, UpstreamTiming timing, TokenUsage? usage)
    {
        if (_requestDuration.Enabled || _tokenUsage.Enabled || _timeToFirstToken.Enabled || _timePerOutputToken.Enabled)
        {
            if (OperationName(routeKind) is { } operation)
            {
                RecordCore(operation, statusCode, timing, usage);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordCore(string operation, int statusCode, UpstreamTiming timing, TokenUsage? usage)
    {
        var op = new KeyValuePair<string, object?>("gen_ai.operation.name", operation);
        var elapsed = timing.Elapsed;
        if (statusCode >= 400)
        {
            _requestDuration.Record(elapsed.TotalSeconds, op, new KeyValuePair<string, object?>("error.type", ErrorType(statusCode)));
            return;
        }

        _requestDuration.Record(elapsed.TotalSeconds, op);
        if (usage is not null)
        {
            _tokenUsage.Record(usage.PromptTokens, op, InputType);
            if (operation != "embeddings")
            {
                _tokenUsage.Record(usage.CompletionTokens, op, OutputType);
            }
        }

        if (timing.TimeToFirstToken is { } first)
        {
            _timeToFirstToken.Record(first.TotalSeconds, op);
            // The first token's time is in the TTFT; the rest share what followed it.
            if (usage is { CompletionTokens: > 1 } && elapsed > first)
            {
                _timePerOutputToken.Record((elapsed - first).TotalSeconds / (usage.CompletionTokens - 1), op);
            }
        }
    }

    private static string ErrorType(int statusCode) => statusCode switch
    {
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        413 => "413",
        429 => "429",
        451 => "451",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => statusCode < 500 ? "4xx" : "5xx",
    };

    private static double[] BuildTokenBuckets()
    {
        var buckets = new double[14];
        double bound = 1;
        for (var i = 0; i < buckets.Length; i++, bound *= 4)
        {
            buckets[i] = bound;
        }

        return buckets;
    }
}
