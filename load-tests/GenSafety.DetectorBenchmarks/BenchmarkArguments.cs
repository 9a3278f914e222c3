using GenSafety.Detectors.Embeddings;

namespace GenSafety.DetectorBenchmarks;

/// <summary>Command-line settings of the benchmark run.</summary>
internal sealed record BenchmarkArguments(ExecutionProviderPreference Provider, int Threads, double Seconds, int[] Batches, int Words, bool SkipMiniLm, bool SkipHashing)
{
    /// <summary>Runs the detection pipeline benchmark instead of the building blocks.</summary>
    public bool Pipeline { get; init; }

    /// <summary>Pipeline: events measured per round.</summary>
    public int Events { get; init; } = 20_000;

    /// <summary>Pipeline: events per micro-batch.</summary>
    public int PipelineBatch { get; init; } = 64;

    /// <summary>Pipeline: the client's request rate (sets the events' timestamps).</summary>
    public double Rate { get; init; } = 1000;

    /// <summary>Pipeline: measured rounds.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Pipeline: distinct prompts instead of the load test's one prompt.</summary>
    public bool DistinctPrompts { get; init; }

    public static BenchmarkArguments Parse(string[] args)
    {
        var result = new BenchmarkArguments(ExecutionProviderPreference.Cpu, 0, 3.0, [1, 8, 16, 32], 20, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            result = args[i] switch
            {
                "--provider" => result with { Provider = Enum.Parse<ExecutionProviderPreference>(Next(), ignoreCase: true) },
                "--threads" => result with { Threads = int.Parse(Next()) },
                "--seconds" => result with { Seconds = double.Parse(Next()) },
                "--batches" => result with { Batches = Next().Split(',').Select(int.Parse).ToArray() },
                "--words" => result with { Words = int.Parse(Next()) },
                "--skip-minilm" => result with { SkipMiniLm = true },
                "--skip-hashing" => result with { SkipHashing = true },
                "--pipeline" => result with { Pipeline = true },
                "--events" => result with { Events = int.Parse(Next()) },
                "--batch" => result with { PipelineBatch = int.Parse(Next()) },
                "--rate" => result with { Rate = double.Parse(Next()) },
                "--rounds" => result with { Rounds = int.Parse(Next()) },
                "--distinct-prompts" => result with { DistinctPrompts = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Use --provider, --threads, --seconds, --batches, --words, --skip-minilm, --skip-hashing, or --pipeline [--events N] [--batch B] [--rate R] [--rounds K] [--distinct-prompts]."),
            };
        }

        return result;
    }
}
