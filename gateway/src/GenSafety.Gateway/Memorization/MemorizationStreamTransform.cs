using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.Streaming;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// The streamed output filter for chat completions and completions: one <c>ProtectedTextStreamMatcher</c> per
/// choice carries normalisation, the rolling n-gram hash and the hit chains across deltas. Text is forwarded as far
/// as the matcher allows; on a stop the stream is cut before the character that completes the protected span, and
/// ended with <c>finish_reason: "content_filter"</c> and <c>gensafety.code: "output_blocked"</c>. With
/// <see cref="MemorizationOptions.HoldBack"/> the matcher releases text only a full window behind, so nothing of a
/// stopped copy is sent (and chunk logprobs, which would spell held text out, are dropped). After a repeat-forever
/// prompt each choice is also watched for divergence from the repetition (<see cref="StreamDivergenceDetector"/>):
/// the stream is cut where the divergent text starts (what was already sent stays sent) and the client's risk raised.
/// When the client asked for logprobs, each choice's streamed tokens are collected and searched for a memorised run
/// when the choice ends (<see cref="LogprobRunWatch"/>, a risk signal only).
/// </summary>
public sealed class MemorizationStreamTransform : IStreamTransform
{
    /// <summary>What the final chunk's <c>gensafety.message</c> says (never which document).</summary>
    public const string StopMessage = "The output reproduced protected text and was stopped.";

    /// <summary>What the final chunk says when an output diverged from a requested repetition.</summary>
    public const string DivergedMessage = "The output diverged from a requested repetition into other text and was stopped.";

    private readonly ProtectedCorpus _corpus;
    private readonly MemorizationPromptCheck _prompts;
    private readonly StreamDivergenceOptions _divergence;
    private readonly MemorizationOptions _options;
    private readonly MemorizationMetrics _metrics;
    private readonly MemorizedRunDetector _runs;
    private readonly ILogger<MemorizationStreamTransform> _logger;

    /// <summary>Creates the transform.</summary>
    public MemorizationStreamTransform(
        ProtectedCorpus corpus, MemorizationPromptCheck prompts, IOptions<StreamDivergenceOptions> divergence, IOptions<MemorizationOptions> options,
        MemorizationMetrics metrics, MemorizedRunDetector runs, ILogger<MemorizationStreamTransform> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(divergence);
        _corpus = corpus;
        _prompts = prompts;
        _divergence = divergence.Value;
        _options = options.Value;
        _metrics = metrics;
        _runs = runs;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => MemorizationJsonTransform.TransformName;

    /// <inheritdoc />
    public IStreamTransformSession? Begin(StreamTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_options.Enabled || context.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions))
        {
            return null;
        }

        var index = _corpus.Text;
        var prompt = _prompts.Inspect(context.HttpContext);
        var divergence = prompt is { IsDivergenceAttack: true } ? new DivergenceWatch(_divergence, prompt.Divergence.RepeatWord, _prompts) : null;
        var identity = context.HttpContext.Features.Get<ClientIdentity>();
        var runs = _options.LogprobRunCheck && context.HttpContext.Features.Get<ProxyRequest>() is { AsksForLogprobs: true }
            ? new LogprobRunWatch(_runs, _prompts, _metrics, identity)
            : null;
        if (index.DocumentCount == 0 && divergence is null && runs is null)
        {
            return null;
        }

        // Hold-back serves the index only: without documents nothing is held and logprobs pass.
        var indexed = index.DocumentCount > 0;
        return new MemorizationStreamSession(indexed ? index : null, context.RouteKind, _options.HoldBack && indexed, divergence, runs, identity, _metrics, _logger);
    }
}
