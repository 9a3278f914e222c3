using System.Text.Json.Nodes;
using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Checks every choice of a buffered chat-completions or completions response against the protected-text index:
/// the longest normalised verbatim span of a protected document; from <see cref="MemorizationOptions.ThresholdChars"/>
/// on the response is blocked (<c>451 output_blocked</c>) or, with <c>redact</c>, that choice's text is emptied,
/// its logprobs dropped and its <c>finish_reason</c> set to <c>content_filter</c>. A response whose choices cannot be
/// read is withheld rather than passed unchecked. After a repeat-forever prompt naming its word, a choice that
/// diverges from the repetition (<see cref="RepeatDivergenceDetector"/>) is blocked too, or with <c>redact</c> cut where
/// the divergent text starts, and the client's risk is raised. When the client asked for logprobs, each choice's
/// tokens are searched for a memorised run (<see cref="LogprobRunWatch"/>), a risk signal only.
/// </summary>
public sealed class MemorizationJsonTransform : IJsonResponseTransform
{
    /// <summary>Name of the memorization transforms (JSON and stream).</summary>
    public const string TransformName = "memorization";

    /// <summary>Status of a blocked response (451 Unavailable For Legal Reasons).</summary>
    public const int BlockedStatus = StatusCodes.Status451UnavailableForLegalReasons;

    /// <summary>What a blocked client is told (never which document).</summary>
    public const string BlockedMessage = "The output reproduced protected text and was withheld.";

    /// <summary>What a client is told when an output diverged from a requested repetition.</summary>
    public const string DivergedMessage = "The output diverged from a requested repetition into other text and was withheld.";

    private readonly ProtectedCorpus _corpus;
    private readonly MemorizationPromptCheck _prompts;
    private readonly MemorizationOptions _options;
    private readonly MemorizationMetrics _metrics;
    private readonly MemorizedRunDetector _runs;
    private readonly ILogger<MemorizationJsonTransform> _logger;

    /// <summary>Creates the transform.</summary>
    public MemorizationJsonTransform(
        ProtectedCorpus corpus, MemorizationPromptCheck prompts, IOptions<MemorizationOptions> options, MemorizationMetrics metrics,
        MemorizedRunDetector runs, ILogger<MemorizationJsonTransform> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _corpus = corpus;
        _prompts = prompts;
        _runs = runs;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => TransformName;

    /// <inheritdoc />
    public bool AppliesTo(JsonResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _options.Enabled && context.StatusCode is >= 200 and < 300
            && context.Request.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions
            && (_corpus.Text.DocumentCount > 0 || RepeatWord(context) is not null || ChecksLogprobs(context));
    }

    /// <inheritdoc />
    public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
    {
        UnreadableResponse.ApplyOrBlock(context, Apply, _logger, Name);
        return ValueTask.CompletedTask;
    }

    private void Apply(JsonResponseContext context)
    {
        var routeKind = context.Request.RouteKind;
        if (context.Body is not JsonObject body || !body.TryGetPropertyValue("choices", out var choicesNode) || choicesNode is not JsonArray choices)
        {
            return; // no choices: nothing generated to check
        }

        var index = _corpus.Text;
        var repeatWord = RepeatWord(context);
        var identity = context.HttpContext.Features.Get<ClientIdentity>();
        var runs = ChecksLogprobs(context) ? new LogprobRunWatch(_runs, _prompts, _metrics, identity) : null;
        for (var i = 0; i < choices.Count; i++)
        {
            if (runs is not null && choices[i] is JsonObject scored)
            {
                var tokens = new List<TokenLogprob>();
                LogprobTokens.Append(scored, routeKind, tokens);
                runs.Inspect(tokens);
            }

            if (!TryReadText(choices[i], routeKind, out var text))
            {
                MemorizationLog.ResponseUnreadable(_logger, routeKind);
                context.Block(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse, "The upstream returned a response the gateway could not check.", TransformName);
                return;
            }

            if (text is null)
            {
                continue;
            }

            if (repeatWord is not null && RepeatDivergenceDetector.Inspect(text, repeatWord) is { Diverged: true } verdict)
            {
                _prompts.OutputDiverged(identity);
                _metrics.Blocked(_options.NonStreamingAction);
                if (_options.NonStreamingAction == MemorizationActions.Block)
                {
                    context.Block(BlockedStatus, ErrorCodes.OutputBlocked, DivergedMessage, TransformName);
                    return;
                }

                Redact((JsonObject)choices[i]!, routeKind, text[..(int)Math.Clamp(verdict.DivergenceOffset, 0, text.Length)]);
                continue;
            }

            if (index.DocumentCount == 0)
            {
                continue;
            }

            _metrics.Checked("text");
            var match = index.FindLongestMatch(text);
            if (!match.ExceedsThreshold)
            {
                continue;
            }

            _metrics.Hit("text");
            _metrics.Blocked(_options.NonStreamingAction);
            var choiceIndex = (choices[i]!["index"] as JsonValue)?.TryGetValue<int>(out var n) == true ? n : i;
            MemorizationLog.TextHit(_logger, routeKind, choiceIndex, match.Length, match.DocumentId ?? "unknown",
                identity?.ClientId ?? "unknown", identity?.Tenant ?? "unknown", _options.NonStreamingAction);
            if (_options.NonStreamingAction == MemorizationActions.Block)
            {
                context.Block(BlockedStatus, ErrorCodes.OutputBlocked, BlockedMessage, TransformName);
                return;
            }

            Redact((JsonObject)choices[i]!, routeKind, string.Empty);
        }
    }

    // False when the choice is not what the route promises; text null when the choice carries no text (tool calls only).
    private static bool TryReadText(JsonNode? choice, string routeKind, out string? text)
    {
        text = null;
        if (choice is not JsonObject obj)
        {
            return false;
        }

        var node = routeKind == RouteKinds.Completions ? obj["text"] : (obj["message"] as JsonObject)?["content"];
        if (node is null)
        {
            return routeKind != RouteKinds.Completions || !obj.ContainsKey("text");
        }

        if (node is JsonValue value && value.TryGetValue<string>(out var s))
        {
            text = s;
            return true;
        }

        return false;
    }

    private bool ChecksLogprobs(JsonResponseContext context) => _options.LogprobRunCheck && context.Request.AsksForLogprobs;

    // The repeat word of a divergence-attack prompt (set by the prompt observer), or null.
    private static string? RepeatWord(JsonResponseContext context)
        => context.HttpContext.Features.Get<MemorizationPromptResult>() is { IsDivergenceAttack: true } prompt ? prompt.Divergence.RepeatWord : null;

    private static void Redact(JsonObject choice, string routeKind, string kept)
    {
        if (routeKind == RouteKinds.Completions)
        {
            choice["text"] = kept;
        }
        else
        {
            ((JsonObject)choice["message"]!)["content"] = kept;
        }

        // Token logprobs would spell the copy out again.
        if (choice.ContainsKey("logprobs"))
        {
            choice["logprobs"] = null;
        }

        choice["finish_reason"] = "content_filter";
    }
}
