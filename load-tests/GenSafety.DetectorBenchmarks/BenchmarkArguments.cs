using GenSafety.Detectors.Embeddings;

namespace GenSafety.DetectorBenchmarks;

/// <summary>Command-line settings of the benchmark run.</summary>
internal sealed record BenchmarkArguments(ExecutionProviderPreference Provider, int Threads, double Seconds, int[] Batches, int Words, bool SkipMiniLm, bool SkipHashing)
{
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
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Use --provider, --threads, --seconds, --batches, --words, --skip-minilm, --skip-hashing."),
            };
        }

        return result;
    }
}
