using GenSafety.LoadTests.Cli;
using GenSafety.Traffic.Memorization;
using GenSafety.Traffic.Scoring;

namespace GenSafety.Traffic.Cli;

/// <summary>
/// <c>memorization</c>: the memorization benchmark through real gateways (<see cref="MemorizationBench"/>): prefix
/// extraction and restyled copies with the filter off and on, benign false stops, divergence prompt detection.
/// Exit 2 when a member leaked through the filter or the benign false-stop rate is over 0.1 %.
/// </summary>
public static class MemorizationCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        memorization options:
          --gateway-dll PATH        the built gateway                                  (required)
          --members N               members prompted by prefix (all are protected)     [160]
          --benign N                benign responses                                   [12000]
          --prefix-chars N          prefix length of the extraction prompts            [80]
          --max-tokens N            max_tokens of every request                        [200]
          --threshold N             ThresholdChars of the gateway and of the measure   [150]
          --concurrency N           requests in flight                                 [4]
          --seed N                  seed of the benign chat questions                  [7]
          --csv PATH / --docs PATH  write the CSV / the tables between the memorization-benchmark:results markers
          --command TEXT            the reproducing command printed with the tables
        """;

    /// <summary>Parses, runs and writes; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var reader = new ArgReader(args, new HashSet<string>());
        var gatewayDll = reader.OptionalString("gateway-dll");
        var options = new MemorizationBenchOptions(
            gatewayDll ?? string.Empty,
            reader.Int("members", 160, 1, 160),
            reader.Int("benign", 12000, 1, 100_000),
            reader.Int("prefix-chars", 80, 20, 400),
            reader.Int("max-tokens", 200, 16, 4096),
            reader.Int("threshold", 150, 99, 100_000),
            reader.Int("concurrency", 4, 1, 64),
            (ulong)reader.Int("seed", 7, 0, int.MaxValue));
        var csv = reader.OptionalString("csv");
        var docs = reader.OptionalString("docs");
        var command = reader.String("command", "GenSafety.Traffic memorization " + string.Join(' ', args));
        reader.RejectUnknown();
        if (gatewayDll is null)
        {
            reader.Errors.Add("memorization needs --gateway-dll");
        }

        if (reader.Errors.Count > 0)
        {
            reader.Errors.ForEach(e => Console.Error.WriteLine("error: " + e));
            Console.Error.WriteLine(Usage);
            return 1;
        }

        var result = await MemorizationBench.RunAsync(options, output, cancellationToken);
        var tables = MemorizationReport.Markdown(result, command);
        output.WriteLine(tables);
        if (csv is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csv))!);
            await File.WriteAllTextAsync(csv, MemorizationReport.Csv(result), cancellationToken);
            output.WriteLine($"CSV written to {csv}");
        }

        if (docs is not null)
        {
            var text = await File.ReadAllTextAsync(docs, cancellationToken);
            await File.WriteAllTextAsync(docs, ScoreReport.ReplaceSection(text, tables, MemorizationReport.BeginMarker, MemorizationReport.EndMarker), cancellationToken);
            output.WriteLine($"tables written into {docs}");
        }

        var falseStopsOk = result.BenignFalseStops * 1000 <= result.BenignClean;
        return result.LeaksWithFilter == 0 && falseStopsOk ? 0 : 2;
    }
}
