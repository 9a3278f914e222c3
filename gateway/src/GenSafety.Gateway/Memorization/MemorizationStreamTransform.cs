using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// The streamed output filter for chat completions and completions: one <c>ProtectedTextStreamMatcher</c> per
/// choice carries normalisation, the rolling n-gram hash and the hit chains across deltas. Text is forwarded as far
/// as the matcher allows; on a stop the stream is cut before the character that completes the protected span, and
/// ended with <c>finish_reason: "content_filter"</c> and <c>gensafety.code: "output_blocked"</c>. With
/// <see cref="MemorizationOptions.HoldBack"/> the matcher releases text only a full window behind, so nothing of a
/// stopped copy is sent (and chunk logprobs, which would spell held text out, are dropped).
/// </summary>
public sealed class MemorizationStreamTransform : IStreamTransform
{
    /// <summary>What the final chunk's <c>gensafety.message</c> says (never which document).</summary>
    public const string StopMessage = "The output reproduced protected text and was stopped.";

    private readonly ProtectedCorpus _corpus;
    private readonly MemorizationOptions _options;
    private readonly MemorizationMetrics _metrics;
    private readonly ILogger<MemorizationStreamTransform> _logger;

    /// <summary>Creates the transform.</summary>
    public MemorizationStreamTransform(ProtectedCorpus corpus, IOptions<MemorizationOptions> options, MemorizationMetrics metrics, ILogger<MemorizationStreamTransform> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _corpus = corpus;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => MemorizationJsonTransform.TransformName;

    /// <inheritdoc />
    public IStreamTransformSession? Begin(StreamTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var index = _corpus.Text;
        if (!_options.Enabled || context.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions) || index.DocumentCount == 0)
        {
            return null;
        }

        var identity = context.HttpContext.Features.Get<ClientIdentity>();
        return new MemorizationStreamSession(index, context.RouteKind, _options.HoldBack, identity, _metrics, _logger);
    }
}
