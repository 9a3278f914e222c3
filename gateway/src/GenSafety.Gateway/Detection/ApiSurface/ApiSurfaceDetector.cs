using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>
/// <c>api-surface</c>: logit-extraction patterns over each client's last requests on chat completions and
/// completions: how often it uses <c>logit_bias</c>, extreme biases and logprobs with one or two output tokens; how
/// many distinct token ids it biases compared with the ids per request (an app reuses one set, an extraction sweeps
/// the vocabulary), overall and per prompt hash; the same prompt back with ever new bias sets; and bisection (the
/// same prompt and token with a bias moving by halving steps). Score formula in <see cref="ApiSurfaceScore"/>.
/// Keeps hashes, counts and sketches only (<see cref="ApiSurfaceState"/>), from a client's first request with
/// <c>logit_bias</c> or logprobs on: the requests before it are not counted.
/// </summary>
public sealed class ApiSurfaceDetector : IQueryDetector
{
    /// <summary>The detector's name.</summary>
    public const string DetectorName = "api-surface";

    private readonly ApiSurfaceOptions _options;
    private readonly uint _window;

    /// <summary>Creates the detector.</summary>
    public ApiSurfaceDetector(IOptions<ApiSurfaceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _window = (uint)Math.Min(_options.Window.TotalSeconds, uint.MaxValue);
        Descriptor = new DetectorDescriptor(false, DetectorStateMode.Replace, ApiSurfaceState.SizeFor(_options.WindowRequests, _options.PromptSlots));
    }

    /// <inheritdoc />
    public string Name => DetectorName;

    /// <inheritdoc />
    public DetectorDescriptor Descriptor { get; }

    /// <inheritdoc />
    public bool NeedsPromptVector(QueryEvent queryEvent) => false;

    /// <inheritdoc />
    public DetectorResult Detect(DetectorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.State.IsEmpty && !input.Events.Any(UsesTheSurface))
        {
            // Most clients never touch logit_bias or logprobs: they get no state (and cost no writes) until they do.
            return new DetectorResult(0, "no logit_bias or logprobs requests", null);
        }

        var state = ApiSurfaceState.Read(input.State.Span, _options.WindowRequests, _options.PromptSlots);
        foreach (var queryEvent in input.Events)
        {
            if (queryEvent.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions)
            {
                Ingest(state, queryEvent);
            }
        }

        var features = ApiSurfaceScore.Features(state, Seconds(input.Now), _window);
        var (score, reason) = ApiSurfaceScore.Score(features, _options);
        return new DetectorResult(score, reason, state.ToArray());
    }

    private static bool UsesTheSurface(QueryEvent queryEvent)
        => queryEvent.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions
            && (queryEvent.Parameters.LogitBias.Count > 0 || queryEvent.Parameters.Logprobs || queryEvent.Parameters.TopLogprobs > 0);

    private void Ingest(ApiSurfaceState state, QueryEvent queryEvent)
    {
        var time = Seconds(queryEvent.At);
        var parameters = queryEvent.Parameters;
        var flags = RequestFlags.None;
        if ((parameters.Logprobs || parameters.TopLogprobs > 0) && parameters.MaxTokens is { } max && max <= _options.ProbeMaxTokens)
        {
            flags |= RequestFlags.Probe;
        }

        var bias = parameters.LogitBias;
        if (bias.Count > 0)
        {
            flags |= RequestFlags.Bias | Sweep(state, queryEvent.PromptHash, bias, time);
        }

        state.Add(new ApiSurfaceState.RequestRecord(time, (ushort)flags, (ushort)Math.Min(bias.Count, ushort.MaxValue)));
    }

    // Updates the id sketches and the prompt's slot; returns the Extreme, Resweep and Bisect flags.
    private RequestFlags Sweep(ApiSurfaceState state, ulong promptHash, IReadOnlyList<LogitBiasEntry> bias, uint time)
    {
        RotateSketches(state, time);
        var (slot, seen) = Slot(state, promptHash, time);
        var flags = RequestFlags.None;
        var primary = bias[0];
        foreach (var entry in bias)
        {
            IdSketch.Add(state.CurrentIds, entry.TokenId);
            IdSketch.Add(slot.Ids, entry.TokenId);
            flags |= Math.Abs(entry.Bias) >= _options.ExtremeBias ? RequestFlags.Extreme : RequestFlags.None;
            if (Math.Abs(entry.Bias) > Math.Abs(primary.Bias) || (Math.Abs(entry.Bias) == Math.Abs(primary.Bias) && entry.TokenId < primary.TokenId))
            {
                primary = entry;
            }
        }

        var set = BiasSetHash(bias);
        if (seen && slot.BiasSet != set && ++slot.Changes >= _options.ResweepAfter)
        {
            flags |= RequestFlags.Resweep;
        }

        if (seen && slot.LastToken == primary.TokenId)
        {
            var step = (float)primary.Bias - slot.LastValue;
            if (step != 0)
            {
                var ratio = Math.Abs(step / slot.LastStep);
                flags |= slot.LastStep != 0 && Math.Abs(ratio - 0.5) <= _options.BisectionTolerance ? RequestFlags.Bisect : RequestFlags.None;
                slot.LastStep = step;
            }
        }
        else
        {
            (slot.LastToken, slot.LastStep) = (primary.TokenId, 0);
        }

        (slot.LastValue, slot.BiasSet, slot.LastSeen) = ((float)primary.Bias, set, time);
        return flags;
    }

    // The sketches cover half a window each: the current one and the one before.
    private void RotateSketches(ApiSurfaceState state, uint time)
    {
        var half = Math.Max(1, _window / 2);
        if (state.EpochStart == 0)
        {
            state.EpochStart = time;
        }
        else if (ApiSurfaceScore.Age(time, state.EpochStart) >= half)
        {
            state.Rotate(time, dropBoth: ApiSurfaceScore.Age(time, state.EpochStart) >= 2 * half);
        }
    }

    // The live slot of the prompt, or the emptiest or least recently seen one, reset for it.
    private (ApiSurfaceState.PromptSlot Slot, bool Seen) Slot(ApiSurfaceState state, ulong promptHash, uint time)
    {
        ApiSurfaceState.PromptSlot? victim = null;
        var victimAge = -1L;
        foreach (var slot in state.Slots)
        {
            var live = !slot.IsEmpty && ApiSurfaceScore.Age(time, slot.LastSeen) <= _window;
            if (live && slot.Hash == promptHash)
            {
                return (slot, true);
            }

            // A free or expired slot beats every live one; among live ones the least recently seen goes.
            var age = live ? ApiSurfaceScore.Age(time, slot.LastSeen) : long.MaxValue;
            if (age > victimAge)
            {
                (victim, victimAge) = (slot, age);
            }
        }

        victim!.Reset(promptHash);
        return (victim, false);
    }

    // FNV-1a over the entries sorted by token id, each bias to 1/1000.
    private static uint BiasSetHash(IReadOnlyList<LogitBiasEntry> bias)
    {
        var sorted = bias.ToArray();
        Array.Sort(sorted, static (a, b) => a.TokenId.CompareTo(b.TokenId));
        var hash = 2166136261u;
        foreach (var entry in sorted)
        {
            hash = (hash ^ (uint)entry.TokenId) * 16777619u;
            hash = (hash ^ (uint)(int)Math.Round(entry.Bias * 1000)) * 16777619u;
        }

        return hash;
    }

    private static uint Seconds(DateTimeOffset time) => (uint)Math.Clamp(time.ToUnixTimeSeconds(), 1, uint.MaxValue);
}
