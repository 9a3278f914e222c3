using GenSafety.Traffic.Api;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Attacks.Encoder;
using GenSafety.Traffic.Cli;
using GenSafety.Traffic.Linear;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Tests.Attacks;

public sealed class EncoderStealingTests
{
    [Fact]
    public async Task Surrogate_LinearInFeaturesVictim_IsNearlyPerfectCleanAndWorseUnderNoise()
    {
        // A victim whose embeddings are a fixed linear map of the attacker's own features: the surrogate can match it.
        var features = new CharNGramFeatures(256);
        var victim = new LinearVictim(features, outputs: 24);
        var attack = new EncoderStealing(new AttackSetup(2, 60, false, new SeededRandom(4), new AttackOptions { A4BatchSize = 8, A4HeldOut = 100, A4Features = 256 }));
        await AttackDriver.RunAsync(attack, 2, victim, new TrafficClient("t", "t"), CancellationToken.None, maxQueries: 120);
        var heldOut = await RunCommand.CleanEmbeddingsAsync(victim, new TrafficClient("o", "o"), attack.HeldOutTexts(), CancellationToken.None);

        var clean = attack.Evaluate(heldOut)!;
        var noise = new SeededRandom(1);
        var noisy = SurrogateFidelity.Measure([.. attack.Pairs.Select(p => p with { Embedding = EncoderDemoCommand.WithNoise(p.Embedding, 0.5, noise) })], heldOut, features);

        Assert.Equal(960, attack.Pairs.Count);
        Assert.True(clean.MeanCosine > 0.99, $"clean fidelity {clean.MeanCosine}");
        Assert.True(noisy.MeanCosine < clean.MeanCosine - 0.05, $"noisy {noisy.MeanCosine} vs clean {clean.MeanCosine}");
        Assert.True(clean.MeanCosine > clean.MeanEmbeddingCosine);
        var report = (EncoderReport)attack.Report();
        Assert.Equal(clean.MeanCosine, report.SurrogateMeanCosine);
        Assert.Equal(120, report.Queries);
    }

    [Fact]
    public void Features_AreUnitLengthAndDeterministic()
    {
        var features = new CharNGramFeatures(128);

        var a = features.Transform("How do I bake sourdough bread?");

        Assert.Equal(1, Math.Sqrt(VectorOps.Dot(a, a)), 12);
        Assert.Equal(a, features.Transform("How do I bake sourdough bread?"));
        Assert.Equal(a, features.Transform("HOW DO I BAKE SOURDOUGH BREAD?"));
        Assert.True(VectorOps.Cosine(a, features.Transform("Quantum chromodynamics lecture notes")) < 0.5);
    }

    [Fact]
    public void CoverageFor_InvertsTheB4BNoiseFormula()
    {
        // σ(c) = λ(exp(ln(α/λ)·c/β) − 1) with λ = 1e-6, α = 0.8, β = 80: σ(80) = 0.8 − 1e-6.
        Assert.Equal(80, EncoderDemoCommand.CoverageFor(0.8 - 1e-6), 9);
        Assert.Equal(0, EncoderDemoCommand.CoverageFor(0));
    }

    private sealed class LinearVictim(CharNGramFeatures features, int outputs) : ITrafficTransport
    {
        private readonly double[][] _map = [.. Enumerable.Range(0, features.Dimensions).Select(f =>
        {
            var random = new SeededRandom((ulong)f);
            return Enumerable.Range(0, outputs).Select(_ => random.Gaussian()).ToArray();
        })];

        public Task<TrafficResponse> SendAsync(TrafficClient client, TrafficRequest request, CancellationToken cancellationToken)
        {
            var texts = request.PromptText.Split('\n');
            return Task.FromResult(new TrafficResponse { Status = 200, Embeddings = [.. texts.Select(Embed)] });
        }

        private float[] Embed(string text)
        {
            var x = features.Transform(text);
            var y = new float[outputs];
            for (var f = 0; f < x.Length; f++)
            {
                for (var o = 0; o < outputs && x[f] != 0; o++)
                {
                    y[o] += (float)(x[f] * _map[f][o]);
                }
            }

            var norm = (float)Math.Sqrt(y.Sum(v => v * v));
            return [.. y.Select(v => v / norm)];
        }
    }
}
