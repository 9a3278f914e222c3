using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// Degrades a buffered response when the request's <see cref="EnforcementOutcome"/> says so: logprobs of chat
/// completions and completions are quantized and their top-logprob lists cut to
/// <see cref="DegradeOptions.MaxTopLogprobs"/> (upstreams may ignore the request cap); embeddings get B4B noise with
/// σ from the client's coverage. Lists what it changed in <see cref="DegradedHeader"/>. An embedding it cannot read
/// fails closed (<c>502 upstream_invalid_response</c>) instead of passing undegraded.
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
        var routeKind = context.Request.RouteKind;
        DegradeEdits edits;
        if (routeKind == RouteKinds.Embeddings)
        {
            var coverage = context.HttpContext.Features.Get<EnforcementOutcome>()?.Coverage ?? _options.DefaultCoverage;
            if (!EmbeddingNoiser.TryApply(context.Body, _options.SigmaFor(coverage), _newRandom(), out edits))
            {
                DegradeLog.EmbeddingsUnreadable(_logger);
                context.Block(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse,
                    "The upstream returned an embedding the gateway could not read.", TransformName);
                return ValueTask.CompletedTask;
            }
        }
        else
        {
            edits = LogprobDegrader.Apply(context.Body, routeKind, _options.MaxTopLogprobs, _options.LogprobQuantum);
        }

        if (edits != DegradeEdits.None)
        {
            var names = edits.Names();
            DegradedHeader.Append(context.HttpContext.Response, names);
            DegradeLog.Degraded(_logger, routeKind, names);
        }

        return ValueTask.CompletedTask;
    }
}
