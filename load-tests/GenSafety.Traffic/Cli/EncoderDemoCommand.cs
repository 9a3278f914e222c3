using System.Diagnostics;
using System.Globalization;
using GenSafety.LoadTests.Cli;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Attacks.Encoder;
using GenSafety.Traffic.Linear;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Cli;

/// <summary>
/// <c>encoder-demo</c>: A4 against the reference model's MiniLM embeddings (in this process, or <c>--target</c>).
/// The attacker's pairs are scored as returned (no defence), then with Gaussian noise of each σ added to the
/// returned embeddings by the demo itself — the noise the gateway's B4B degrade adds at the coverage printed
/// next to σ — so the fidelity drop per σ can be read off. Against a real degraded client use <c>run</c>
/// with <c>--oracle</c>.
/// </summary>
public static class EncoderDemoCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: GenSafety.Traffic encoder-demo [options]
          --queries N        embeddings requests of the attacker                     [250]
          --batch N          texts per request                                      [8]
          --held-out N       held-out texts                                         [200]
          --sigmas LIST      per-dimension noise σ to compare                       [0,0.01,0.05,0.1,0.2,0.4,0.8]
          --features N       attacker's hashed character n-gram features           [1024]
          --seed N           seed                                                   [7]
          --target URL       a running reference model instead of the in-process one
        """;

    // B4B defaults (docs/degrade.md): σ(c) = λ(exp(ln(α/λ)·c/β) − 1).
    private const double B4BLambda = 1e-6;
    private const double B4BAlpha = 0.8;
    private const double B4BBeta = 80;

    /// <summary>Runs; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var reader = new ArgReader(args, new HashSet<string>());
        var queries = reader.Int("queries", 250, 2, 1_000_000);
        var batch = reader.Int("batch", 8, 1, 2048);
        var heldOut = reader.Int("held-out", 200, 10, 100_000);
        var sigmasText = reader.String("sigmas", "0,0.01,0.05,0.1,0.2,0.4,0.8");
        var features = reader.Int("features", 1024, 16, 1 << 20);
        var seed = reader.Int("seed", 7, 0, int.MaxValue);
        var target = reader.OptionalString("target");
        reader.RejectUnknown();
        var sigmas = sigmasText.Split(',').Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToList();
        if (reader.Errors.Count > 0 || sigmas.Exists(s => !(s >= 0)))
        {
            reader.Errors.ForEach(e => Console.Error.WriteLine("error: " + e));
            Console.Error.WriteLine(Usage);
            return 1;
        }

        var options = new AttackOptions { A4BatchSize = batch, A4HeldOut = heldOut, A4Features = features };
        var attack = new EncoderStealing(new AttackSetup(1, queries, false, new SeededRandom((ulong)seed), options));
        var started = Stopwatch.StartNew();
        List<EmbeddingPair> clean;
        if (target is null)
        {
            var (app, url) = await ReferenceModelHosting.StartAsync(_ => { }, cancellationToken);
            await using (app)
            {
                clean = await CollectAsync(attack, url, queries, cancellationToken);
            }
        }
        else
        {
            clean = await CollectAsync(attack, new Uri(target), queries, cancellationToken);
        }

        var c = CultureInfo.InvariantCulture;
        var pairs = attack.Pairs;
        output.WriteLine(string.Create(c, $"A4: {queries} embeddings requests, {pairs.Count} pairs, {clean.Count} held-out texts ({started.Elapsed.TotalSeconds:F1} s)"));
        output.WriteLine("| σ (noise added to returned embeddings) | B4B coverage giving σ | surrogate mean cosine (held-out) | drop vs σ = 0 | mean-embedding floor | noisy vs clean cosine |");
        output.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        var featurizer = new CharNGramFeatures(features);
        double? baseline = null;
        foreach (var sigma in sigmas)
        {
            var noise = new SeededRandom((ulong)seed).Fork("noise");
            var noisy = pairs.Select(p => new EmbeddingPair(p.Text, WithNoise(p.Embedding, sigma, noise))).ToList();
            var fidelity = SurrogateFidelity.Measure(noisy, clean, featurizer);
            baseline ??= fidelity.MeanCosine;
            var benign = noisy.Zip(pairs).Average(x => VectorOps.Cosine(VectorOps.ToDouble(x.First.Embedding), VectorOps.ToDouble(x.Second.Embedding)));
            output.WriteLine(string.Create(c,
                $"| {sigma:G3} | {CoverageFor(sigma):F1} % | {fidelity.MeanCosine:F4} | {(1 - (fidelity.MeanCosine / baseline.Value)) * 100:F1} % | {fidelity.MeanEmbeddingCosine:F4} | {benign:F4} |"));
        }

        return 0;
    }

    /// <summary>The B4B coverage (percent) at which the gateway's noise reaches <paramref name="sigma"/> (defaults λ = 1e-6, α = 0.8, β = 80).</summary>
    public static double CoverageFor(double sigma) => sigma <= 0 ? 0 : B4BBeta * Math.Log((sigma / B4BLambda) + 1) / Math.Log(B4BAlpha / B4BLambda);

    /// <summary><paramref name="embedding"/> + N(0, σ²) per dimension.</summary>
    public static float[] WithNoise(float[] embedding, double sigma, SeededRandom random)
    {
        var result = (float[])embedding.Clone();
        if (sigma > 0)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = (float)(result[i] + (sigma * random.Gaussian()));
            }
        }

        return result;
    }

    private static async Task<List<EmbeddingPair>> CollectAsync(EncoderStealing attack, Uri url, int queries, CancellationToken cancellationToken)
    {
        using var transport = new HttpTrafficTransport(url, ModelNames.Reference, TimeSpan.FromSeconds(120), 4, false);
        var client = new TrafficClient("encoder-demo", "encoder-demo");
        await AttackDriver.RunAsync(attack, 1, transport, client, cancellationToken, queries);
        return await RunCommand.CleanEmbeddingsAsync(transport, client, attack.HeldOutTexts(), cancellationToken);
    }
}
