using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Attacks.Logits;
using GenSafety.Traffic.Cli;
using GenSafety.Traffic.Linear;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;
using Microsoft.ML.Tokenizers;

namespace GenSafety.Traffic.Tests.Attacks;

public sealed class BisectionExtractionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Attack_GreedyOnlyLowRankOracle_RecoversHiddenSize(bool variedWording)
    {
        var oracle = new ArgmaxOracle(hiddenSize: 6);
        var attack = new BisectionExtraction(new AttackSetup(3, 0, variedWording, new SeededRandom(9), new AttackOptions { A2Tokens = 14, A2Prompts = 16 }));

        await AttackDriver.RunAsync(attack, 3, oracle, new TrafficClient("t", "t"), CancellationToken.None);
        var report = (HiddenSizeReport)attack.Report();

        Assert.True(report.Conclusive, Summary.Describe(report));
        Assert.Equal(6, report.RecoveredHiddenSize);
        Assert.Equal(16, report.Rows);
        Assert.Equal(13, report.Columns);
    }

    [Fact]
    public void Chain_PlainVariant_HalvesTheBiasOnTheSamePrompt()
    {
        var attack = new BisectionExtraction(new AttackSetup(1, 0, false, new SeededRandom(9), new AttackOptions { A2Tokens = 3, A2Prompts = 1 }));
        var biases = new List<double>();
        for (var step = 0; step < 4; step++)
        {
            var request = attack.NextFor(0)!;
            biases.Add((double)request.Body["logit_bias"]!.AsObject().Single().Value!);
            // Never flips: the interval shrinks towards the top after the first (maximum-bias) check passes.
            attack.Observe(0, request, new TrafficResponse { Status = 200, Content = step == 0 ? " the" : "x" });
        }

        Assert.Equal([100, 50, 75, 87.5], biases);
    }

    /// <summary>
    /// A model that only answers the argmax: logits z = W·h with seeded Gaussian rows per token id and a seeded h per
    /// prompt, over a fixed vocabulary (40 other tokens and every word token the attacker can pick); answers are token
    /// texts, as the API shows them.
    /// </summary>
    private sealed class ArgmaxOracle(int hiddenSize) : ITrafficTransport
    {
        private static readonly TiktokenTokenizer Tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");

        private static readonly int[] Vocabulary = [.. Enumerable.Range(1000, 40).Union(TokenIds.SpacedWords(["the", .. WordLists.Vocabulary]).Select(t => t.Id))];

        private readonly Dictionary<int, double[]> _rows = Vocabulary.ToDictionary(t => t, t => Vector((ulong)t * 7919, hiddenSize));
        private readonly ConcurrentDictionary<string, double[]> _hidden = new();

        public Task<TrafficResponse> SendAsync(TrafficClient client, TrafficRequest request, CancellationToken cancellationToken)
        {
            var h = _hidden.GetOrAdd(request.PromptText, p => Vector(SeededRandom.Fnv1a(p), hiddenSize));
            var bias = (request.Body["logit_bias"] as JsonObject)?.Single();
            var biased = bias is { } b ? int.Parse(b.Key, System.Globalization.CultureInfo.InvariantCulture) : -1;
            var best = (Token: -1, Logit: double.NegativeInfinity);
            foreach (var (token, w) in _rows)
            {
                var logit = VectorOps.Dot(w, h) + (token == biased ? (double)bias!.Value.Value! : 0);
                if (logit > best.Logit)
                {
                    best = (token, logit);
                }
            }

            return Task.FromResult(new TrafficResponse { Status = 200, Content = Tokenizer.Decode([best.Token]) });
        }

        private static double[] Vector(ulong seed, int hiddenSize)
        {
            var random = new SeededRandom(seed);
            return [.. Enumerable.Range(0, hiddenSize).Select(_ => random.Gaussian())];
        }
    }
}
