using System.Diagnostics;
using System.Globalization;
using System.Text;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Statistics;
using GenSafety.Watermarking.Tests.TestSupport;
using GenSafety.Watermarking.Text.Lexical;
using GenSafety.Watermarking.Text.Unigram;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>
/// The text attack grid: marks 400-token outputs with each text scheme (<c>lexical</c> on shipped human documents,
/// <c>unigram-bias</c> on the simulated upstream, <see cref="BiasedBigramSampler"/>), cuts them to 200 tokens, applies
/// each edit, and reports per scheme the true-positive rate at the analytic family-wise α = 10⁻³ (live + three retired
/// keys, as <c>/v1/verify/text</c> tests), the rate at the threshold calibrated on ≥ 10,000 unmarked windows (FPR ≤ 10⁻³),
/// the AUC, and the ledger's near-duplicate retrieval (MinHash J ≥ 0.5 among the LSH candidates of every marked
/// output). Then quality (words the lexical mark changed; perplexity under the reference model, hosted in this process
/// and scoring by echo logprobs, and under the simulated upstream's unbiased model) and throughput. Run: <c>dotnet run -c Release --project load-tests/GenSafety.WatermarkBenchmarks -- text-robustness [outputs] [negative-keys]</c>.
/// </summary>
internal static class TextRobustnessGrid
{
    private const double Alpha = 1e-3;
    private const double NearDuplicate = 0.5;
    private const int LedgerBands = 16;
    private const int LedgerRows = 3;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static readonly (string Name, Func<Sample, Random, string> Apply)[] Attacks =
    [
        ("none (200 tokens)", (s, _) => s.Text200),
        ("truncate to 25 tokens", (s, _) => s.Tokens(25)),
        ("truncate to 50 tokens", (s, _) => s.Tokens(50)),
        ("truncate to 100 tokens", (s, _) => s.Tokens(100)),
        ("400 tokens (no cut)", (s, _) => s.Text400),
        ("delete 5% of words", (s, r) => TextAttacks.Delete(s.Text200, 0.05, r)),
        ("delete 10% of words", (s, r) => TextAttacks.Delete(s.Text200, 0.10, r)),
        ("delete 20% of words", (s, r) => TextAttacks.Delete(s.Text200, 0.20, r)),
        ("delete 30% of words", (s, r) => TextAttacks.Delete(s.Text200, 0.30, r)),
        ("insert 10% words", (s, r) => TextAttacks.Insert(s.Text200, 0.10, r)),
        ("insert 30% words", (s, r) => TextAttacks.Insert(s.Text200, 0.30, r)),
        ("synonym swap 10%", (s, r) => TextAttacks.SynonymSwap(s.Text200, 0.10, r)),
        ("synonym swap 30%", (s, r) => TextAttacks.SynonymSwap(s.Text200, 0.30, r)),
        ("synonym swap 50%", (s, r) => TextAttacks.SynonymSwap(s.Text200, 0.50, r)),
        ("copy-paste: 10% human text", (s, r) => TextAttacks.Dilute(s.Text200, 0.10, r)),
        ("copy-paste: 25% human text", (s, r) => TextAttacks.Dilute(s.Text200, 0.25, r)),
        ("copy-paste: 50% human text", (s, r) => TextAttacks.Dilute(s.Text200, 0.50, r)),
        ("homoglyphs (30% of a c e o p x)", (s, r) => TextAttacks.Homoglyphs(s.Text200, 0.30, r)),
        ("zero-width space in 50% of words", (s, r) => TextAttacks.ZeroWidth(s.Text200, 0.50, r)),
        ("full-width letters (NFKC folds them)", (s, _) => TextAttacks.FullWidth(s.Text200)),
    ];

    public static int Run(string[] args)
    {
        var outputs = args.Length > 0 ? int.Parse(args[0], C) : 500;
        var negativeKeys = args.Length > 1 ? int.Parse(args[1], C) : 30;
        var total = Stopwatch.StartNew();
        var vocabulary = TokenVocabulary.ForEncoding(TokenVocabulary.Cl100kBase);
        var ring = new WatermarkKeyRing(
            WatermarkMasterKey.FromBytes([.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))]),
            new KeyRingOptions { RotationPeriod = TimeSpan.FromDays(30), RetiredEpochs = 3 }, TimeProvider.System);
        var lexical = new LexicalScheme(new LexicalOptions(), SynonymLexicon.Shared);
        var unigram = new UnigramBiasScheme(new UnigramBiasOptions(), vocabulary);
        var sampler = BiasedBigramSampler.FromShippedText(vocabulary);
        var random = new Random(2026);

        // Lexical outputs are windows of documents 300–399, which the simulated upstream never saw (so its perplexity of
        // them is a fair quality measure); the negatives are windows of documents 0–299, the upstream's training text.
        var training = Windows(vocabulary, ShippedText.HumanDocuments.Skip(300), 400, outputs);
        var lexicalSamples = new List<Sample>();
        var unigramSamples = new List<Sample>();
        var unbiased = new List<string>();
        for (var i = 0; i < outputs; i++)
        {
            var tenant = "tenant-" + (i % 50).ToString(C);
            var lexicalKey = ring.Current(tenant, KeyPurpose.Lexical);
            lexicalSamples.Add(new Sample(vocabulary, training[i], lexical.Mark(training[i], lexicalKey), tenant));
            var plan = unigram.Plan(ring.Current(tenant, KeyPurpose.UnigramBias), null);
            unigramSamples.Add(new Sample(vocabulary, null, sampler.Sample(plan.Entries, 400, random), tenant));
            unbiased.Add(vocabulary.Tokenizer.Decode(vocabulary.Tokenizer.EncodeToIds(sampler.Sample(null, 400, random)).Take(200)) ?? string.Empty);
        }

        var negatives = Windows(vocabulary, ShippedText.HumanDocuments.Take(300), 200, int.MaxValue);
        Console.WriteLine(string.Create(C, $"- text grid: {outputs} marked outputs per scheme (400 tokens, cut to 200), {negatives.Count} unmarked 200-token windows × {negativeKeys} tenants = {negatives.Count * negativeKeys:N0} negatives per scheme; verdicts over 4 keys (live + 3 retired, Bonferroni), α = 10⁻³"));

        var schemes = new (string Name, KeyPurpose Purpose, Func<string, IReadOnlyList<WatermarkKey>, WatermarkTestResult> Detect, List<Sample> Samples)[]
        {
            ("lexical", KeyPurpose.Lexical, (t, k) => lexical.Detect(t, k), lexicalSamples),
            ("unigram-bias", KeyPurpose.UnigramBias, (t, k) => unigram.Detect(t, k), unigramSamples),
        };
        var thresholds = new Dictionary<string, (double[] NegativeScores, double Threshold, int Flagged)>();
        foreach (var scheme in schemes)
        {
            var scores = new List<double>(negatives.Count * negativeKeys);
            var flagged = 0;
            for (var k = 0; k < negativeKeys; k++)
            {
                var keys = ring.DetectionKeys("negative-" + k.ToString(C), scheme.Purpose);
                foreach (var window in negatives)
                {
                    var result = scheme.Detect(window, keys);
                    flagged += result.Detected ? 1 : 0;
                    scores.Add(Score(result.PValue));
                }
            }

            var sorted = scores.OrderDescending().ToArray();
            // Calibrated threshold: flag only scores above the (FPR · n)-th largest negative score, so at most FPR · n negatives pass.
            var threshold = sorted[Math.Max(0, (int)Math.Floor(Alpha * sorted.Length) - 1)];
            thresholds[scheme.Name] = (sorted, threshold, flagged);
            Console.WriteLine(string.Create(C, $"- {scheme.Name} negatives: {flagged} of {sorted.Length:N0} flagged at α = 10⁻³ (FPR {flagged / (double)sorted.Length:0.0E0}); calibrated threshold p ≤ {Math.Pow(10, -threshold):0.0E0}"));
        }

        var ledger = new Ledger(lexicalSamples.Concat(unigramSamples).Select(s => s.Text200));
        var ledgerFalse = negatives.Count(n => ledger.BestJaccard(n) >= NearDuplicate);
        Console.WriteLine(string.Create(C, $"- ledger: {ledger.Count} marked outputs indexed ({LedgerBands} × {LedgerRows} bands); {ledgerFalse} of {negatives.Count} unmarked windows retrieved at J ≥ {NearDuplicate}"));
        Console.WriteLine();
        Console.WriteLine("| edit | words changed | lexical TPR (α 10⁻³) | lexical TPR (calibrated) | lexical AUC | unigram-bias TPR (α 10⁻³) | unigram-bias TPR (calibrated) | unigram-bias AUC | ledger J ≥ 0.5 |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, apply) in Attacks)
        {
            var cells = new List<string>();
            var edits = new List<double>();
            var retrieved = 0;
            var tested = 0;
            foreach (var scheme in schemes)
            {
                var attackRandom = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 77);
                var detected = 0;
                var calibrated = 0;
                var scores = new List<double>();
                foreach (var sample in scheme.Samples)
                {
                    var attacked = apply(sample, attackRandom);
                    edits.Add(TextAttacks.WordEditRate(sample.Text200, attacked));
                    var result = scheme.Detect(attacked, ring.DetectionKeys(sample.Tenant, scheme.Purpose));
                    detected += result.Detected ? 1 : 0;
                    var score = Score(result.PValue);
                    calibrated += score > thresholds[scheme.Name].Threshold ? 1 : 0;
                    scores.Add(score);
                    retrieved += ledger.BestJaccard(attacked) >= NearDuplicate ? 1 : 0;
                    tested++;
                }

                var n = scheme.Samples.Count;
                cells.Add(string.Create(C, $"{100.0 * detected / n:F1} %"));
                cells.Add(string.Create(C, $"{100.0 * calibrated / n:F1} %"));
                cells.Add(string.Create(C, $"{Auc(scores, thresholds[scheme.Name].NegativeScores):F4}"));
            }

            Console.WriteLine(string.Create(C, $"| {name} | {100 * edits.Average():F1} % | {string.Join(" | ", cells)} | {100.0 * retrieved / tested:F1} % |"));
        }

        Quality(sampler, lexicalSamples, unigramSamples, unbiased);
        Throughput(lexical, unigram, ring, lexicalSamples);
        Console.WriteLine(string.Create(C, $"- took {total.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }

    // −log10 p: larger is more marked; p = 0 (underflow) is capped.
    private static double Score(double p) => -Math.Log10(Math.Max(p, 1e-300));

    private static double Auc(List<double> positives, double[] negatives)
    {
        // Mann–Whitney U over all pairs, ties counting one half; negatives are sorted descending.
        var ascending = negatives.Reverse().ToArray();
        double sum = 0;
        foreach (var score in positives)
        {
            var below = LowerBound(ascending, score);
            var upTo = UpperBound(ascending, score);
            sum += below + ((upTo - below) / 2.0);
        }

        return sum / (positives.Count * (double)ascending.Length);
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= value) { lo = mid + 1; } else { hi = mid; }
        }

        return lo;
    }

    private static void Quality(BiasedBigramSampler sampler, List<Sample> lexicalSamples, List<Sample> unigramSamples, List<string> unbiased)
    {
        Console.WriteLine();
        var changed = lexicalSamples.Average(s => TextAttacks.WordEditRate(s.Original200!, s.Text200));
        var before = lexicalSamples.Select(s => s.Original200!).ToList();
        var after = lexicalSamples.Select(s => s.Text200).ToList();
        var marked = unigramSamples.Select(s => s.Text200).ToList();
        var (human, lexicalMarked, plain, unigramMarked) = ReferencePerplexity.MeasureAsync([before, after, unbiased, marked]).GetAwaiter().GetResult() switch
        {
            var p => (p[0], p[1], p[2], p[3]),
        };
        Console.WriteLine(string.Create(C, $"- quality, lexical: {100 * changed:F1} % of words changed by the mark; perplexity of the human windows before → after marking: {human:F1} → {lexicalMarked:F1} under the reference model, {sampler.Perplexity(before)} → {sampler.Perplexity(after)} under the simulated upstream's unbiased model"));
        Console.WriteLine(string.Create(C, $"- quality, unigram-bias (δ {new UnigramBiasOptions().Delta}): perplexity of unbiased → marked samples: {plain:F1} → {unigramMarked:F1} under the reference model, {sampler.Perplexity(unbiased)} → {sampler.Perplexity(marked)} under the simulated upstream's unbiased model"));
    }

    private static void Throughput(LexicalScheme lexical, UnigramBiasScheme unigram, WatermarkKeyRing ring, List<Sample> samples)
    {
        var texts = samples.Select(s => s.Original200!).ToArray();
        var bytes = texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));
        var key = ring.Current("tenant-0", KeyPurpose.Lexical);
        var keys = ring.DetectionKeys("tenant-0", KeyPurpose.Lexical);
        var unigramKeys = ring.DetectionKeys("tenant-0", KeyPurpose.UnigramBias);
        double Rate(Action<string> action)
        {
            foreach (var t in texts.Take(20)) { action(t); }
            var watch = Stopwatch.StartNew();
            var rounds = 0;
            while (watch.Elapsed < TimeSpan.FromSeconds(2) || rounds == 0)
            {
                foreach (var t in texts) { action(t); }
                rounds++;
            }

            return bytes * rounds / watch.Elapsed.TotalSeconds / 1e6;
        }

        Console.WriteLine(string.Create(C, $"- throughput (one thread): lexical mark {Rate(t => lexical.Mark(t, key)):F1} MB/s, lexical detect (4 keys) {Rate(t => lexical.Detect(t, keys)):F1} MB/s, unigram-bias detect (4 keys, tokenisation included) {Rate(t => unigram.Detect(t, unigramKeys)):F1} MB/s"));
    }

    private static List<string> Windows(TokenVocabulary vocabulary, IEnumerable<string> documents, int tokens, int count)
    {
        var ids = vocabulary.Tokenizer.EncodeToIds(string.Join(' ', documents));
        // Overlapping windows when more are wanted than the text holds side by side.
        var stride = count == int.MaxValue ? tokens : Math.Max(1, (ids.Count - tokens) / Math.Max(1, count - 1));
        var windows = new List<string>();
        for (var start = 0; start + tokens <= ids.Count && windows.Count < count; start += stride)
        {
            windows.Add((vocabulary.Tokenizer.Decode(ids.Skip(start).Take(tokens)) ?? string.Empty).Trim());
        }

        return windows;
    }

    /// <summary>One marked output: the 400-token text, its 200-token cut and, for lexical, the unmarked original cut alike.</summary>
    private sealed class Sample(TokenVocabulary vocabulary, string? original400, string text400, string tenant)
    {
        private readonly IReadOnlyList<int> _ids = vocabulary.Tokenizer.EncodeToIds(text400);

        public string Text400 { get; } = text400;

        public string Tenant { get; } = tenant;

        public string Text200 => Tokens(200);

        public string? Original200 { get; } = original400 is null ? null : vocabulary.Tokenizer.Decode(vocabulary.Tokenizer.EncodeToIds(original400).Take(200));

        public string Tokens(int count) => vocabulary.Tokenizer.Decode(_ids.Take(count)) ?? string.Empty;
    }

    /// <summary>MinHash sketches of the marked outputs indexed by LSH bands, as the gateway's ledger indexes them.</summary>
    private sealed class Ledger
    {
        private readonly List<ulong[]> _sketches = [];
        private readonly Dictionary<string, List<int>> _bands = [];

        public Ledger(IEnumerable<string> texts)
        {
            foreach (var text in texts)
            {
                var sketch = MinHashSketch.Compute(text);
                foreach (var band in LshBands.Keys(sketch, LedgerBands, LedgerRows))
                {
                    (_bands.TryGetValue(band, out var ids) ? ids : _bands[band] = []).Add(_sketches.Count);
                }

                _sketches.Add(sketch);
            }
        }

        public int Count => _sketches.Count;

        public double BestJaccard(string text)
        {
            var sketch = MinHashSketch.Compute(text);
            var best = 0.0;
            foreach (var band in LshBands.Keys(sketch, LedgerBands, LedgerRows))
            {
                if (_bands.TryGetValue(band, out var ids))
                {
                    foreach (var id in ids)
                    {
                        best = Math.Max(best, MinHashSketch.EstimateJaccard(sketch, _sketches[id]));
                    }
                }
            }

            return best;
        }
    }
}
