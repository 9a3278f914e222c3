using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Harvesting and distillation over request metadata: over the latest requests of a client, the share that open
/// with a shared long template (MinHash of the first characters), the share with reasoning-elicitation phrases, how
/// long the requested outputs are (max_tokens), how hot the sampling is (temperature), how diverse the prompts are
/// and the request rate. Score = diversity · clamp(w_e · max(template·long·hot, reasoning·(f + (1 − f)·long)) +
/// w_v · volume · max(template, reasoning)): Alpaca-style self-instruct (one template, temperature 1, max_tokens
/// 3072, every prompt different) and chain-of-thought elicitation at volume score high; a template app with short
/// outputs, a chat user with long outputs but no template, or a client repeating one prompt stay low.
/// Prompt text is reduced to <see cref="QueryFeatures"/> by <see cref="ExtractFeatures"/> and never stored.
/// </summary>
public sealed partial class HarvestingDetector : StreamDetector<HarvestingState>
{
    private const string WarmingUp = "warming up: too few requests in the window";
    private const string Quiet = "below the harvesting level";
    private const string TemplateHarvest = "template harvesting: a shared long prompt template with long, sampled outputs";
    private const string ReasoningHarvest = "reasoning elicitation: chain-of-thought phrases with long outputs";

    /// <summary>Score at and above which a pattern is named in the reason.</summary>
    private const double ReportLevel = 0.5;

    // Fixed part of the body: window count, latest minute, per-minute counts.
    private const int FixedBodySize = 4 + 8 + (2 * HarvestingState.MinuteSlots);

    private readonly HarvestingOptions _options;
    private readonly string[] _phrases;
    private readonly ulong[] _multipliers = new ulong[PrefixSignature.Length];
    private readonly ulong[] _offsets = new ulong[PrefixSignature.Length];
    private readonly ulong _basis;
    private readonly int _requiredMatches;
    private readonly uint _featuresFingerprint;

    /// <summary>Creates the detector.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public HarvestingDetector(HarvestingOptions options)
    {
        OptionsCheck.ThrowIfInvalid(new HarvestingOptionsValidator(), options, HarvestingOptions.SectionName);
        _options = new HarvestingOptions
        {
            WindowSize = options.WindowSize, MinQueries = options.MinQueries, PrefixCharacters = options.PrefixCharacters,
            ShingleLength = options.ShingleLength, MinTemplateCharacters = options.MinTemplateCharacters,
            TemplateSimilarity = options.TemplateSimilarity, LongOutputTokensLow = options.LongOutputTokensLow,
            LongOutputTokensHigh = options.LongOutputTokensHigh, AssumedMaxTokens = options.AssumedMaxTokens,
            HotTemperatureLow = options.HotTemperatureLow, HotTemperatureHigh = options.HotTemperatureHigh,
            AssumedTemperature = options.AssumedTemperature, VolumePerMinuteLow = options.VolumePerMinuteLow,
            VolumePerMinuteHigh = options.VolumePerMinuteHigh, ElicitationWeight = options.ElicitationWeight,
            VolumeWeight = options.VolumeWeight, ReasoningFloor = options.ReasoningFloor, MaxCharacters = options.MaxCharacters, Seed = options.Seed,
        };
        _phrases = [.. (options.ReasoningPhrases ?? (IEnumerable<string>)HarvestingOptions.DefaultReasoningPhrases).Select(NormalizePhrase).Distinct(StringComparer.Ordinal)];
        _requiredMatches = (int)Math.Ceiling((options.TemplateSimilarity * PrefixSignature.Length) - 1e-9);

        // Multiply-shift hash functions hᵢ(x) = aᵢ·x + bᵢ (aᵢ odd) over the mixed shingle hash x.
        var random = new DeterministicRandom((ulong)options.Seed);
        for (var i = 0; i < PrefixSignature.Length; i++)
        {
            _multipliers[i] = random.NextUInt64() | 1;
            _offsets[i] = random.NextUInt64();
        }

        _basis = StableHash.FnvOffset ^ StableHash.Mix((ulong)options.Seed);
        var phrases = StableHash.FnvOffset;
        foreach (var phrase in _phrases)
        {
            foreach (var c in phrase)
            {
                phrases = StableHash.Fnv1a(phrases, c);
            }

            phrases = StableHash.Mix(phrases);
        }

        _featuresFingerprint = StateHeader.Fingerprint(options.PrefixCharacters, options.ShingleLength, options.Seed, options.MaxCharacters, (long)phrases);
        Fingerprint = StateHeader.Fingerprint(_featuresFingerprint, options.WindowSize, options.MinTemplateCharacters, _requiredMatches);
    }

    /// <inheritdoc />
    public override string Name => ExtractionDetectorNames.Harvesting;

    private protected override StateKind Kind => StateKind.Harvesting;

    private protected override uint Fingerprint { get; }

    private protected override int MaxBodySize => FixedBodySize + (_options.WindowSize * HarvestingEntry.Size);

    /// <inheritdoc />
    public override HarvestingState CreateState() => new(_options.WindowSize);

    /// <summary>
    /// Records a request with <paramref name="features"/> (from this detector's <see cref="ExtractFeatures"/>) seen
    /// at <paramref name="at"/> and returns the updated signal.
    /// </summary>
    public DetectorSignal Observe(HarvestingState state, in QueryFeatures features, DateTimeOffset at)
    {
        Record(state, features, at);
        return Evaluate(state);
    }

    /// <summary>
    /// <see cref="Observe"/> without the signal: for a batch of requests whose signal is read once at the end
    /// (<see cref="Evaluate"/>), since evaluating measures the whole window.
    /// </summary>
    public void Record(HarvestingState state, in QueryFeatures features, DateTimeOffset at)
    {
        if (features.OptionsFingerprint != _featuresFingerprint)
        {
            throw new ArgumentException("The features were extracted under other options.", nameof(features));
        }

        Touch(state, at);
        var window = state.Window;
        if (window.IsFull)
        {
            ref var oldest = ref window[0];
            for (var i = 1; i < window.Count; i++)
            {
                if (SharesTemplate(oldest, window[i]))
                {
                    window[i].Matches--;
                }
            }
        }

        window.Add(HarvestingEntry.From(features, at));
        var newest = window.Count - 1;
        var matches = 0;
        for (var i = 0; i < newest; i++)
        {
            ref var other = ref window[i];
            if (SharesTemplate(window[newest], other))
            {
                other.Matches = (byte)Math.Min(other.Matches + 1, byte.MaxValue);
                matches++;
            }
        }

        window[newest].Matches = (byte)Math.Min(matches, byte.MaxValue);
        state.CountMinute(Math.DivRem(at.ToUnixTimeSeconds(), 60, out var remainder) - (remainder < 0 ? 1 : 0));
    }

    /// <inheritdoc />
    public override DetectorSignal Evaluate(HarvestingState state)
    {
        var features = Measure(state);
        if (features.Requests < _options.MinQueries)
        {
            return new DetectorSignal(0.0, WarmingUp, double.NaN, ReportLevel, state.Observations);
        }

        var distill = features.ReasoningShare * (_options.ReasoningFloor + ((1 - _options.ReasoningFloor) * features.LongOutput));
        var raw = (_options.ElicitationWeight * Math.Max(features.Harvest, distill)) +
                  (_options.VolumeWeight * features.Volume * Math.Max(features.TemplateShare, features.ReasoningShare));
        var score = features.Diversity * Math.Clamp(raw, 0.0, 1.0);
        var reason = score < ReportLevel ? Quiet : features.Harvest >= distill ? TemplateHarvest : ReasoningHarvest;
        return new DetectorSignal(score, reason, raw, ReportLevel, state.Observations);
    }

    /// <summary>The window features behind the score (for the admin view and tests).</summary>
    public HarvestingFeatures Measure(HarvestingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var window = state.Window;
        var n = window.Count;
        if (n == 0)
        {
            return default;
        }

        int template = 0, reasoning = 0;
        double longOutput = 0, hot = 0;
        uint first = uint.MaxValue, last = 0;
        Span<uint> fingerprints = stackalloc uint[n];
        for (var i = 0; i < n; i++)
        {
            ref readonly var entry = ref window[i];
            template += entry.Matches > 0 ? 1 : 0;
            reasoning += entry.Reasoning ? 1 : 0;
            var maxTokens = entry.MaxTokensPlusOne == 0 ? _options.AssumedMaxTokens : entry.MaxTokensPlusOne - 1;
            longOutput += Ramp(maxTokens, _options.LongOutputTokensLow, _options.LongOutputTokensHigh);
            var temperature = entry.Temperature == HarvestingEntry.NoTemperature ? _options.AssumedTemperature : entry.Temperature / 100.0;
            hot += Ramp(temperature, _options.HotTemperatureLow, _options.HotTemperatureHigh);
            first = Math.Min(first, entry.Seconds);
            last = Math.Max(last, entry.Seconds);
            fingerprints[i] = entry.Fingerprint;
        }

        fingerprints.Sort();
        var distinct = 1;
        for (var i = 1; i < n; i++)
        {
            distinct += fingerprints[i] != fingerprints[i - 1] ? 1 : 0;
        }

        var perMinute = (n - 1) * 60.0 / Math.Max(last - first, 60u);
        return new HarvestingFeatures(n, (double)template / n, (double)reasoning / n, longOutput / n, hot / n, (double)distinct / n, perMinute,
            Ramp(perMinute, _options.VolumePerMinuteLow, _options.VolumePerMinuteHigh));
    }

    /// <summary>
    /// How many of <paramref name="a"/>'s long requests share a template with one of <paramref name="b"/>'s, and the
    /// other way round, over both windows' long requests (0 when neither has any).
    /// </summary>
    internal double TemplateOverlap(HarvestingState a, HarvestingState b)
    {
        int matched = 0, eligible = 0;
        Count(a, b);
        Count(b, a);
        return eligible == 0 ? 0.0 : (double)matched / eligible;

        void Count(HarvestingState from, HarvestingState to)
        {
            for (var i = 0; i < from.Window.Count; i++)
            {
                ref readonly var entry = ref from.Window[i];
                if (entry.Length < _options.MinTemplateCharacters)
                {
                    continue;
                }

                eligible++;
                for (var j = 0; j < to.Window.Count; j++)
                {
                    if (SharesTemplate(entry, to.Window[j]))
                    {
                        matched++;
                        break;
                    }
                }
            }
        }
    }

    private protected override int BodySize(HarvestingState state) => FixedBodySize + (state.Window.Count * HarvestingEntry.Size);

    private protected override void WriteBody(ref StateWriter writer, HarvestingState state)
    {
        writer.WriteInt32(state.Window.Count);
        writer.WriteInt64(state.LastMinute);
        foreach (var count in state.MinuteCounts)
        {
            writer.WriteUInt16(count);
        }

        for (var i = 0; i < state.Window.Count; i++)
        {
            state.Window[i].Write(ref writer);
        }
    }

    private protected override void ReadBody(ref StateReader reader, HarvestingState state)
    {
        var count = reader.ReadCount(_options.WindowSize);
        state.LastMinute = reader.ReadInt64();
        for (var i = 0; i < HarvestingState.MinuteSlots; i++)
        {
            state.MinuteCounts[i] = reader.ReadUInt16();
        }

        for (var i = 0; i < count; i++)
        {
            var entry = HarvestingEntry.Read(ref reader);
            state.Window.Add(entry.Matches < count ? entry : throw StateReader.Invalid("a template match count above the window size"));
        }
    }

    private static double Ramp(double value, double low, double high) => Math.Clamp((value - low) / (high - low), 0.0, 1.0);

    private static int EqualHashes(in PrefixSignature a, in PrefixSignature b)
    {
        var equal = 0;
        for (var i = 0; i < PrefixSignature.Length; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        return equal;
    }

    private bool SharesTemplate(in HarvestingEntry a, in HarvestingEntry b) =>
        a.Length >= _options.MinTemplateCharacters && b.Length >= _options.MinTemplateCharacters &&
        EqualHashes(a.Signature, b.Signature) >= _requiredMatches;
}
