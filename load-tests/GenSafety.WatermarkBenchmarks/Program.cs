using BenchmarkDotNet.Running;
using GenSafety.WatermarkBenchmarks;

// Usage: dotnet run -c Release --project load-tests/GenSafety.WatermarkBenchmarks -- --filter '*'
// (any BenchmarkDotNet arguments; e.g. --job short for a quick run). Exits non-zero when a benchmark fails.
// `-- image-robustness [images] [side] [negatives]` runs the image attack grid instead (see ImageRobustnessGrid;
// negatives default to 10,000), `-- text-robustness [outputs] [negative-keys]` the text attack grid (see TextRobustnessGrid).
if (args.Length > 0 && args[0] == "image-robustness")
{
    return ImageRobustnessGrid.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "text-robustness")
{
    return TextRobustnessGrid.Run(args[1..]);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(TextRobustnessGrid).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
