using System.Globalization;
using System.Text.Json;
using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Training-data extraction signals from a request's prompt: protected text in the prompt
/// (<see cref="ProtectedPrefixDetector"/>: a chain of one indexed n-gram, any 99-character protected span, scores 0.5,
/// the output threshold's chain 1) and repeat-forever prompts (<see cref="DivergencePromptDetector"/>), and from
/// outputs that diverge from such a repetition; each weighted by its <see cref="MemorizationOptions"/> risk. Signals go to the client's risk through <see cref="IRiskStore"/>,
/// raise-only with source <see cref="RiskSource"/>, written in the background so the response does not wait for the store.
/// </summary>
public sealed class MemorizationPromptCheck
{
    /// <summary>Source and actor of the risk signals.</summary>
    public const string RiskSource = "memorization";

    private readonly ProtectedCorpus _corpus;
    private readonly IRiskStore _risk;
    private readonly MemorizationOptions _options;
    private readonly MemorizationMetrics _metrics;
    private readonly ILogger<MemorizationPromptCheck> _logger;

    /// <summary>Creates the check.</summary>
    public MemorizationPromptCheck(ProtectedCorpus corpus, IRiskStore risk, IOptions<MemorizationOptions> options, MemorizationMetrics metrics, ILogger<MemorizationPromptCheck> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _corpus = corpus;
        _risk = risk;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Checks the prompt of <paramref name="context"/>'s request once (later calls return the stored result), raises
    /// the client's risk on a signal and stores the result as a feature. Null when the check is off or there is no prompt.
    /// </summary>
    public MemorizationPromptResult? Inspect(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<MemorizationPromptResult>() is { } done)
        {
            return done;
        }

        if (!_options.Enabled || !_options.PromptCheck
            || context.Features.Get<ProxyRequest>() is not { Json.RootElement: { ValueKind: JsonValueKind.Object } root } request)
        {
            return null;
        }

        var prompt = QueryEventReader.Prompt(request.RouteKind, root);
        if (prompt.Length == 0)
        {
            return null;
        }

        _metrics.Checked("prompt");
        var prefix = _corpus.Text.DocumentCount > 0 ? _corpus.Prefix.Inspect(prompt) : default;
        // A repeat-forever instruction comes from the client, not from the model's earlier answers in the history.
        var instructions = request.RouteKind == RouteKinds.ChatCompletions ? QueryEventReader.Instructions(request.RouteKind, root) : prompt;
        var divergence = DivergencePromptDetector.Inspect(instructions);
        var result = new MemorizationPromptResult(prefix, divergence);
        context.Features.Set(result);
        var identity = context.Features.Get<ClientIdentity>();
        if (prefix.IsFlagged)
        {
            Signal(identity, "protected_prefix", prefix.Score * _options.PrefixPromptRisk, prefix.DocumentId,
                string.Create(CultureInfo.InvariantCulture, $"protected text in the prompt ({prefix.MatchedCharacters} normalised characters)"));
        }

        if (divergence.IsAttack)
        {
            Signal(identity, "divergence_prompt", divergence.Score * _options.DivergencePromptRisk, null, "repeat-forever prompt (divergence attack)");
        }

        return result;
    }

    /// <summary>Records that an output carried a memorised run in its logprobs (<see cref="MemorizedRunDetector"/>).</summary>
    public void MemorizedRun(ClientIdentity? identity, MemorizedRunSignal run) =>
        Signal(identity, "memorized_run", run.Score * _options.MemorizedRunRisk, null,
            string.Create(CultureInfo.InvariantCulture, $"memorised run in the returned logprobs ({run.RunTokens} near-certain tokens, zlib ratio {run.ZlibRatio:F1})"));

    /// <summary>Records that the images generated for a prompt stayed the same picture across <paramref name="across"/> (a memorised prompt).</summary>
    public void MemorizedImagePrompt(ClientIdentity? identity, string across) =>
        Signal(identity, "memorized_image_prompt", _options.MemorizedImagePromptRisk, null, $"generated images stay the same picture across {across} (a memorised prompt)");

    /// <summary>Records that an output diverged from a requested repetition (a likely training-data emission).</summary>
    public void OutputDiverged(ClientIdentity? identity) => Signal(identity, "divergence_output", _options.DivergentOutputRisk, null, "output diverged from a requested repetition");

    private void Signal(ClientIdentity? identity, string signal, double score, string? documentId, string reason)
    {
        _metrics.PromptSignal(signal);
        if (identity is null)
        {
            return;
        }

        MemorizationLog.PromptSignal(_logger, signal, score, documentId ?? "none", identity.ClientId, identity.Tenant);
        _ = WriteAsync(identity, new RiskUpdate(Math.Clamp(score, 0, 1), RiskSource, reason, RiskSource, RaiseOnly: true));
    }

    private async Task WriteAsync(ClientIdentity identity, RiskUpdate update)
    {
        try
        {
            await _risk.SetRiskAsync(identity.Tenant, identity.ClientId, update, CancellationToken.None);
        }
        catch (StateStoreUnavailableException ex)
        {
            MemorizationLog.RiskWriteFailed(_logger, ex);
        }
    }
}
