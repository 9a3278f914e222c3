using System.Globalization;
using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection.Vectors;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Harvesting;

/// <summary>
/// <c>harvesting</c>: the library's <see cref="HarvestingDetector"/> (shared long templates with long, hot-sampled
/// outputs; reasoning-elicitation phrases; volume and diversity over the client's latest requests) on chat and
/// completions requests. It reads each event's <see cref="QueryEvent.QueryText"/> (the last user message on chat),
/// so a RAG app's fixed system template or a conversation's history is not taken for a harvesting template, while
/// an Alpaca-style prompt — the template is the user message — is; the text is reduced to the library's
/// <see cref="QueryFeatures"/> at once. Score: the library's (Alpaca-style self-instruct ≈ 1; a template app with
/// short, cool outputs at most the volume term, 0.25). Its state is also what sybil linking compares between
/// clients (templates, per-minute timing). Options: the library's <see cref="HarvestingOptions"/>
/// (<c>GenSafety:Detection:Detectors:harvesting</c>).
/// </summary>
public sealed class HarvestingQueryDetector : IQueryDetector
{
    /// <summary>The detector's name.</summary>
    public const string DetectorName = ExtractionDetectorNames.Harvesting;

    /// <summary>Creates the detector.</summary>
    public HarvestingQueryDetector(IOptions<HarvestingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Library = new HarvestingDetector(options.Value);
        Descriptor = new DetectorDescriptor(false, DetectorStateMode.Replace, Library.MaxStateSize);
    }

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public DetectorDescriptor Descriptor { get; }

    /// <summary>The library detector (sybil linking restores and compares its states).</summary>
    public HarvestingDetector Library { get; }

    /// <inheritdoc />
    public bool NeedsPromptVector(QueryEvent queryEvent) => false;

    /// <inheritdoc />
    public DetectorResult Detect(DetectorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var observed = input.Events.Where(e => e.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions).ToList();
        if (observed.Count == 0)
        {
            return new DetectorResult(0, "no chat or completions requests in this batch", null);
        }

        var state = !input.State.IsEmpty && Library.TryDeserialize(input.State.Span, out var restored) ? restored : Library.CreateState();
        // Features are a function of (text, max_tokens, temperature): a client repeating its request is extracted once.
        (string Text, int? MaxTokens, double? Temperature)? previous = null;
        var features = default(QueryFeatures);
        foreach (var queryEvent in observed)
        {
            var parameters = queryEvent.Parameters;
            var maxTokens = parameters.MaxTokens is >= 0 ? parameters.MaxTokens : null;
            var temperature = parameters.Temperature is { } t && t >= 0 && double.IsFinite(t) ? t : (double?)null;
            if (previous != (queryEvent.QueryText, maxTokens, temperature))
            {
                features = Library.ExtractFeatures(queryEvent.QueryText, maxTokens, temperature);
                previous = (queryEvent.QueryText, maxTokens, temperature);
            }

            Library.Record(state, features, queryEvent.At);
        }

        // The signal after the batch's last request, as Observe would have returned it.
        var signal = Library.Evaluate(state);
        return new DetectorResult(signal.Score, Describe(Library.Measure(state), signal), Library.Serialize(state));
    }

    private static string Describe(HarvestingFeatures f, DetectorSignal signal) => string.Create(CultureInfo.InvariantCulture,
        $"{signal.Reason}; {f.Requests} requests: shared template {f.TemplateShare:P0}, reasoning phrases {f.ReasoningShare:P0}, long outputs {f.LongOutput:0.##}, hot sampling {f.HotSampling:0.##}, distinct {f.Diversity:P0}, {f.RequestsPerMinute:0.#}/min");
}

/// <summary>Checks the <c>harvesting</c> options with the library's <see cref="HarvestingOptionsValidator"/>.</summary>
public sealed class HarvestingQueryOptionsValidator()
    : LibraryOptionsValidator<HarvestingOptions>(new HarvestingOptionsValidator(), HarvestingOptions.SectionName, DetectionOptions.DetectorsSection + ":" + HarvestingQueryDetector.DetectorName);
