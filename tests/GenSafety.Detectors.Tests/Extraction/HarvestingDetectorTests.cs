using GenSafety.Detectors.Extraction;
using GenSafety.Detectors.Randomness;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Extraction;

public sealed class HarvestingDetectorTests(ITestOutputHelper output)
{
    private static readonly HarvestingDetector Detector = new(new HarvestingOptions());

    public static TheoryData<string, int> BenignPersonas => new() { { "chat", 200 }, { "chat bot", 50 }, { "rag", 50 }, { "classifier", 50 } };

    public static TheoryData<string, int> AttackPersonas => new()
    {
        { "alpaca", 8 }, { "alpaca slow", 8 }, { "alpaca temperature 0.7, max_tokens 1024", 30 }, { "distiller", 8 }, { "distiller without max_tokens", 20 },
    };

    [Theory]
    [MemberData(nameof(BenignPersonas))]
    public void Observe_BenignPersona_StaysBelowTheReportLevel(string persona, int clients)
    {
        var summary = DetectionRun.Summarise(DetectionRun.Clients(Detector, clients, 100, seed => SyntheticTraffic.Persona(seed, 300, Persona(persona))));

        output.WriteLine($"Harvesting, benign {persona}: {summary}");
        Assert.Equal(0, summary.Alarmed);
        Assert.True(summary.MaxMaxScore < 0.35, summary.ToString());
    }

    [Theory]
    [MemberData(nameof(AttackPersonas))]
    public void Observe_HarvestingPersona_AlarmsQuickly(string persona, int maxQueries)
    {
        var summary = DetectionRun.Summarise(DetectionRun.Clients(Detector, 20, 200, seed => SyntheticTraffic.Persona(seed, 300, Persona(persona))));

        output.WriteLine($"Harvesting, attack {persona}: {summary}");
        Assert.Equal(20, summary.Alarmed);
        Assert.True(summary.P90Queries <= maxQueries, summary.ToString());
    }

    [Fact]
    public void Observe_HarvestingInterleavedWithChat_Reported()
    {
        // An adaptive harvester sending half its requests as ordinary chat halves the template share.
        var summary = DetectionRun.Summarise(DetectionRun.Clients(Detector, 20, 300, seed => SyntheticTraffic.Persona(seed, 300,
                (r, t) => r.NextDouble() < 0.5 ? SyntheticTraffic.Alpaca(r, t) : SyntheticTraffic.Chat(r, t))));

        output.WriteLine($"Harvesting, Alpaca interleaved 50% with chat: {summary}");
        Assert.True(summary.MedianMaxScore is > 0.2 and < 0.75, summary.ToString());
    }

    [Theory]
    [InlineData("alpaca")]
    [InlineData("chat")]
    public void Record_ThenEvaluate_SameStateAndSignalAsObservingEachRequest(string persona)
    {
        var requests = SyntheticTraffic.Persona(7, 300, Persona(persona));
        var observed = Detector.CreateState();
        var recorded = Detector.CreateState();
        var signal = default(DetectorSignal);
        for (var i = 0; i < requests.Count; i++)
        {
            var features = Detector.ExtractFeatures(requests[i].Prompt, requests[i].MaxTokens, requests[i].Temperature);
            signal = Detector.Observe(observed, features, requests[i].At);
            Detector.Record(recorded, features, requests[i].At);
            if (i % 17 == 16 || i == requests.Count - 1)
            {
                // A batch ends: its signal is read once.
                Assert.Equal(signal, Detector.Evaluate(recorded));
                Assert.Equal(Detector.Serialize(observed), Detector.Serialize(recorded));
            }
        }
    }

    [Fact]
    public void Measure_AlpacaWindow_EveryFeatureAtItsExtreme()
    {
        var state = Detector.CreateState();
        foreach (var request in SyntheticTraffic.Persona(1, 100, SyntheticTraffic.Alpaca))
        {
            Detector.Observe(state, Detector.ExtractFeatures(request.Prompt, request.MaxTokens, request.Temperature), request.At);
        }

        var features = Detector.Measure(state);

        Assert.Equal(64, features.Requests);
        Assert.Equal(1.0, features.TemplateShare);
        Assert.Equal(1.0, features.LongOutput);
        Assert.Equal(1.0, features.HotSampling);
        Assert.Equal(1.0, features.Diversity);
        Assert.Equal(0.0, features.ReasoningShare);
        Assert.Equal(60.0, features.RequestsPerMinute, 9);
        Assert.Equal(1.0, Detector.Evaluate(state).Score);
        Assert.StartsWith("template harvesting", Detector.Evaluate(state).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_OnePromptRepeated_DiversityKeepsTheScoreLow()
    {
        var state = Detector.CreateState();
        var prompt = SyntheticTraffic.HarvestPrompt(new DeterministicRandom(2));
        var features = Detector.ExtractFeatures(prompt, 3072, 1.0);
        var signal = default(DetectorSignal);
        for (var i = 0; i < 64; i++)
        {
            signal = Detector.Observe(state, features, SyntheticTraffic.Start.AddSeconds(i));
        }

        Assert.Equal(1.0 / 64, Detector.Measure(state).Diversity, 12);
        Assert.True(signal.Score < 0.02, $"{signal}");
        Assert.Equal(1.0, signal.Statistic);
    }

    [Fact]
    public void Observe_LongStream_TemplateMatchesEqualAFreshWindow()
    {
        var requests = SyntheticTraffic.Persona(3, 400, (r, t) => r.NextDouble() < 0.4 ? SyntheticTraffic.Alpaca(r, t) : r.NextDouble() < 0.5 ? SyntheticTraffic.Rag(r, t) : SyntheticTraffic.Chat(r, t));
        var features = requests.Select(r => Detector.ExtractFeatures(r.Prompt, r.MaxTokens, r.Temperature)).ToList();
        var state = Detector.CreateState();
        var fresh = Detector.CreateState();

        for (var i = 0; i < requests.Count; i++)
        {
            Detector.Observe(state, features[i], requests[i].At);
        }

        for (var i = requests.Count - 64; i < requests.Count; i++)
        {
            Detector.Observe(fresh, features[i], requests[i].At);
        }

        Assert.Equal(Detector.Measure(fresh), Detector.Measure(state));
        Assert.Equal(Detector.Evaluate(fresh).Score, Detector.Evaluate(state).Score);
        var matches = Enumerable.Range(0, 64).Select(i => state.Window[i].Matches).ToArray();
        Assert.Equal(Enumerable.Range(0, 64).Select(i => fresh.Window[i].Matches), matches);
        Assert.Contains(matches, m => m > 0);
    }

    [Fact]
    public void ExtractFeatures_SharedOpeningDifferentEnding_SameTemplateDifferentFingerprint()
    {
        var random = new DeterministicRandom(4);
        var a = Detector.ExtractFeatures(SyntheticTraffic.HarvestPrompt(random));
        var b = Detector.ExtractFeatures(SyntheticTraffic.HarvestPrompt(random));
        var chat = Detector.ExtractFeatures(SyntheticTraffic.Prompt(random, [0, 1]));

        Assert.Equal(PrefixSignature.Length, Equal(a.Prefix, b.Prefix));
        Assert.NotEqual(a.PromptFingerprint, b.PromptFingerprint);
        Assert.True(Equal(a.Prefix, chat.Prefix) <= 2, $"{Equal(a.Prefix, chat.Prefix)} equal hashes with an unrelated prompt");
    }

    [Fact]
    public void ExtractFeatures_CaseAndWhitespace_Normalised()
    {
        const string Messy = "  Please THINK   carefully\nabout  this ";
        var a = Detector.ExtractFeatures(Messy);
        var b = Detector.ExtractFeatures("please think carefully about this");
        var plain = Detector.ExtractFeatures("please think about this carefully");

        Assert.Equal(b.PromptFingerprint, a.PromptFingerprint);
        Assert.Equal(PrefixSignature.Length, Equal(a.Prefix, b.Prefix));
        Assert.True(a.ReasoningElicitation);
        Assert.False(plain.ReasoningElicitation);
        Assert.Equal(Messy.Length, a.PromptLength);
    }

    [Fact]
    public void ExtractFeatures_CustomPhrases_ReplaceTheDefaults()
    {
        var detector = new HarvestingDetector(new HarvestingOptions { ReasoningPhrases = ["Rationale  FIRST"] });

        Assert.True(detector.ExtractFeatures("Give the rationale first, then answer.").ReasoningElicitation);
        Assert.False(detector.ExtractFeatures("Solve it step by step.").ReasoningElicitation);
    }

    [Fact]
    public void ExtractFeatures_EmptyPrompt_EmptySignature()
    {
        var features = Detector.ExtractFeatures(string.Empty, null, null);

        foreach (var value in features.Prefix)
        {
            Assert.Equal(ushort.MaxValue, value);
        }

        Assert.Equal(0, features.PromptLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => Detector.ExtractFeatures("x", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Detector.ExtractFeatures("x", 1, double.NaN));
    }

    [Fact]
    public void Observe_FeaturesFromOtherOptions_Refused()
    {
        var other = new HarvestingDetector(new HarvestingOptions { Seed = 1 });

        Assert.Throws<ArgumentException>(() => Detector.Observe(Detector.CreateState(), other.ExtractFeatures("hello there"), SyntheticTraffic.Start));
    }

    [Fact]
    public void Observe_MinuteCounts_KeepTheLatestHour()
    {
        var state = Detector.CreateState();
        var features = Detector.ExtractFeatures("what is a good pasta recipe");
        var start = SyntheticTraffic.Start;
        var minute = start.ToUnixTimeSeconds() / 60;

        Detector.Observe(state, features, start);
        Detector.Observe(state, features, start.AddSeconds(10));
        Detector.Observe(state, features, start.AddMinutes(5));
        Assert.Equal(2, state.RequestsInMinute(minute));
        Assert.Equal(1, state.RequestsInMinute(minute + 5));
        Assert.Equal(0, state.RequestsInMinute(minute + 1));

        // 63 minutes later the first minute is still kept; at 64 it has rolled off; a late request for it is dropped.
        Detector.Observe(state, features, start.AddMinutes(63));
        Assert.Equal(2, state.RequestsInMinute(minute));
        Detector.Observe(state, features, start.AddMinutes(64));
        Assert.Equal(0, state.RequestsInMinute(minute));
        Detector.Observe(state, features, start);
        Assert.Equal(0, state.RequestsInMinute(minute));
        Assert.Equal(minute + 64, state.LatestMinute);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new HarvestingOptions { WindowSize = 300, MinQueries = 0, TemplateSimilarity = 0, LongOutputTokensHigh = 100, ReasoningPhrases = ["ab"] };

        var error = Assert.Throws<OptionsValidationException>(() => new HarvestingDetector(options));

        Assert.Equal(5, error.Failures.Count());
    }

    private static int Equal(PrefixSignature a, PrefixSignature b)
    {
        var equal = 0;
        for (var i = 0; i < PrefixSignature.Length; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        return equal;
    }

    private static Func<DeterministicRandom, int[], (string, int?, double?, double)> Persona(string name) => name switch
    {
        "chat" => SyntheticTraffic.Chat,
        "chat bot" => SyntheticTraffic.ChatBot,
        "rag" => SyntheticTraffic.Rag,
        "classifier" => SyntheticTraffic.Classifier,
        "alpaca" => SyntheticTraffic.Alpaca,
        "alpaca slow" => (r, t) => (SyntheticTraffic.HarvestPrompt(r), 3072, 1.0, 60),
        "alpaca temperature 0.7, max_tokens 1024" => (r, t) => (SyntheticTraffic.HarvestPrompt(r), 1024, 0.7, 1),
        "distiller" => SyntheticTraffic.Distiller,
        "distiller without max_tokens" => (r, t) => (SyntheticTraffic.ReasoningPrompt(r), null, null, 3),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
