using BenchmarkDotNet.Running;

// Usage: dotnet run -c Release --project load-tests/GenSafety.WatermarkBenchmarks -- --filter '*'
// (any BenchmarkDotNet arguments; e.g. --job short for a quick run). Exits non-zero when a benchmark fails.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
