using System.Diagnostics;
using GenSafety.Detectors.Coverage;
using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Statistics;
using GenSafety.DetectorBenchmarks;

// Usage: dotnet run -c Release --project load-tests/GenSafety.DetectorBenchmarks -- [--provider cpu|cuda|auto]
//        [--threads N] [--seconds S] [--batches 1,8,16,32] [--words 20] [--skip-minilm] [--skip-hashing]
// Prints one markdown table. Each row runs for about S seconds (default 3) after a warm-up, from one calling thread.
// Besides wall-clock rates it reports process CPU time per call: on a shared machine (other processes competing for
// the cores) CPU time stays close to the uncontended cost while wall-clock rates fall.
var options = BenchmarkArguments.Parse(args);
if (options.Pipeline)
{
    await GenSafety.DetectorBenchmarks.Pipeline.PipelineBenchmark.RunAsync(options);
    return;
}

var rows = new List<(string Name, string Result)>();

Console.WriteLine($"Detectors benchmarks: {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, {options.Seconds} s per row");

var shortPrompts = BenchmarkPrompts.Create(4096, options.Words, seed: 1);   // 20 words: ≈ 120 characters, ≈ 25 MiniLM tokens
var longPrompts = BenchmarkPrompts.Create(512, 200, seed: 2);    // ≈ 1,200 characters

// --skip-hashing leaves out the rows that do not depend on the execution provider (gpu-bench.sh's second run).
foreach (var nonZeros in options.SkipHashing ? [] : new[] { 1, 2, 4 })
{
    var hashing = new HashingEmbedder(new HashingEmbedderOptions { NonZerosPerNgram = nonZeros });
    var vector = new float[hashing.Dimensions];
    rows.Add(($"Hashing embedder, 256-d, k = {nonZeros}, {options.Words}-word prompt", PerItem(options.Seconds, i => hashing.Embed(shortPrompts[i % shortPrompts.Length], vector))));
    rows.Add(($"Hashing embedder, 256-d, k = {nonZeros}, ≈1,200-char prompt", PerItem(options.Seconds, i => hashing.Embed(longPrompts[i % longPrompts.Length], vector))));
}

if (!options.SkipHashing)
{
    var projection = new B4BProjection(384, seed: 1);
    var coverage = new B4BCoverage(projection);
    var random = new Random(3);
    var vectors = Enumerable.Range(0, 1024).Select(_ => Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
    rows.Add(("B4B coverage Observe, 384-d (20 × 12 projections)", PerItem(options.Seconds, i => coverage.Observe(vectors[i % vectors.Length]))));

    foreach (var n in new[] { 100, 1000, 5000 })
    {
        var sample = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        rows.Add(($"Shapiro–Wilk, n = {n}", PerItem(options.Seconds, _ => ShapiroWilk.Test(sample))));
    }
}

if (!options.SkipMiniLm)
{
    var loading = Stopwatch.StartNew();
    using var miniLm = MiniLmEmbedder.Create(new MiniLmEmbedderOptions
    {
        Provider = options.Provider,
        IntraOpNumThreads = options.Threads,
        MaxBatchSize = options.Batches.Max(),
    });
    rows.Add(($"MiniLM load ({miniLm.ExecutionProvider})", $"{loading.Elapsed.TotalSeconds:F2} s | "));
    var tokenized = shortPrompts.Select(miniLm.Tokenize).ToArray();
    rows.Add(("MiniLM prompt length", $"{tokenized.Average(t => t.Length):F1} tokens ([CLS] and [SEP] included) | "));
    foreach (var batchSize in options.Batches)
    {
        var batches = tokenized.Chunk(batchSize).Where(b => b.Length == batchSize).ToArray();
        var result = PerBatch(options.Seconds, batchSize, i => miniLm.Embed(batches[i % batches.Length]));
        rows.Add(($"MiniLM {miniLm.ExecutionProvider}, batch {batchSize}, intra-op threads {(options.Threads == 0 ? "auto" : options.Threads)}", result));
    }
}

Console.WriteLine();
Console.WriteLine("| Operation | Wall clock | Process CPU |");
Console.WriteLine("|---|---|---|");
foreach (var (name, result) in rows)
{
    Console.WriteLine($"| {name} | {result} |");
}

// Calls action(i) for i = 0, 1, … for about `seconds` after a one-second warm-up; reports per-call time and rate.
static string PerItem(double seconds, Action<int> action)
{
    var (calls, elapsed, cpu) = Run(seconds, action);
    return $"{calls / elapsed.TotalSeconds:N0} /s ({elapsed.TotalMicroseconds / calls:F2} µs each) | " +
        $"{cpu.TotalMicroseconds / calls:F2} µs each ({calls / cpu.TotalSeconds:N0} per CPU-second)";
}

static string PerBatch(double seconds, int batchSize, Action<int> action)
{
    var (calls, elapsed, cpu) = Run(seconds, action);
    var texts = (double)calls * batchSize;
    return $"{texts / elapsed.TotalSeconds:N0} texts/s ({elapsed.TotalMilliseconds / calls:F2} ms per batch) | " +
        $"{cpu.TotalMilliseconds / calls:F2} ms per batch ({texts / cpu.TotalSeconds:N0} texts per CPU-second)";
}

static (long Calls, TimeSpan Elapsed, TimeSpan Cpu) Run(double seconds, Action<int> action)
{
    var warmUp = Stopwatch.StartNew();
    for (var i = 0; warmUp.Elapsed.TotalSeconds < Math.Min(1.0, seconds); i++)
    {
        action(i);
    }

    using var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    long calls = 0;
    while (stopwatch.Elapsed.TotalSeconds < seconds)
    {
        action((int)(calls % int.MaxValue));
        calls++;
    }

    var elapsed = stopwatch.Elapsed;
    process.Refresh();
    return (calls, elapsed, process.TotalProcessorTime - cpuBefore);
}
