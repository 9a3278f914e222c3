using System.Text.Json.Nodes;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// Degrades a buffered response when the request's <see cref="EnforcementOutcome"/> says so: logprobs of chat
/// completions and completions are quantized and their top-logprob lists cut to
/// <see cref="DegradeOptions.MaxTopLogprobs"/> (upstreams may ignore the request cap); embeddings get B4B noise with
/// σ from the client's coverage. Lists what it changed in <see cref="DegradedHeader"/>. A response it cannot read
/// (an embedding that is neither numbers nor base64 floats, duplicate keys) fails closed with
/// <c>502 upstream_invalid_response</c> instead of passing undegraded.
/// </summary>
public sealed class DegradeJsonTransform : IJsonResponseTransform
{
    /// <summary>Name of the degrade transforms (JSON and stream).</summary>
    public const string TransformName = "degrade";

    private readonly DegradeOptions _options;
    private readonly ILogger<DegradeJsonTransform> _logger;
    private readonly Func<Random> _newRandom;

    /// <summary>
    /// Creates the transform. Each response gets its own <see cref="Random"/> seeded from the operating system's
    /// random source, so one client's noise says nothing about another's.
    /// </summary>
    public DegradeJsonTransform(IOptions<DegradeOptions> options, ILogger<DegradeJsonTransform> logger)
        : this(options, logger, static () => new Random())
    {
    }

    internal DegradeJsonTransform(IOptions<DegradeOptions> options, ILogger<DegradeJsonTransform> logger, Func<Random> newRandom)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _newRandom = newRandom;
    }

    /// <inheritdoc />
    public string Name => TransformName;

    /// <inheritdoc />
    public bool AppliesTo(JsonResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.StatusCode is >= 200 and < 300
            && context.Request.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions or RouteKinds.Embeddings
            && context.HttpContext.Features.Get<EnforcementOutcome>() is { Degrades: true };
    }

    /// <inheritdoc />
    public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HttpContext.Features.Get<EnforcementOutcome>() is not { Degrades: true } outcome)
        {
            return ValueTask.CompletedTask;
        }

        var routeKind = context.Request.RouteKind;
        if (!TryDegrade(context.Body, routeKind, outcome, out var edits))
        {
            DegradeLog.ResponseUnreadable(_logger, routeKind);
            context.Block(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse,
                "The upstream returned a response the gateway could not read.", TransformName);
            return ValueTask.CompletedTask;
        }

        if (edits != DegradeEdits.None)
        {
            var names = edits.Names();
            DegradedHeader.Append(context.HttpContext.Response, names);
            DegradeLog.Degraded(_logger, routeKind, names);
        }

        return ValueTask.CompletedTask;
    }

    private bool TryDegrade(JsonNode? body, string routeKind, EnforcementOutcome outcome, out DegradeEdits edits)
    {
        try
        {
            if (routeKind == RouteKinds.Embeddings)
            {
                return EmbeddingNoiser.TryApply(body, _options.SigmaFor(outcome.Coverage), _newRandom(), out edits);
            }

            // Other routes carry no logprobs and come out as None.
            edits = LogprobDegrader.Apply(body, routeKind, _options.MaxTopLogprobs, _options.LogprobQuantum);
            return true;
        }
        catch (ArgumentException)
        {
            // JsonObject throws on a duplicate key when first read: the response cannot be degraded reliably.
            edits = DegradeEdits.None;
            return false;
        }
    }
}
