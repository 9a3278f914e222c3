using GenSafety.LoadTests.Cli;
using GenSafety.Traffic.Scoring;

namespace GenSafety.Traffic.Cli;

/// <summary>
/// <c>score</c>: reads the JSONL of <c>run</c> against a gateway and scores detection per attack family, matrix cell
/// and benign persona; writes CSV files and the markdown tables (to stdout, a file, and/or a docs section).
/// </summary>
public static class ScoreCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        score options:
          --in LIST                 JSONL files of 'run' (comma-separated)                  [load-tests/results/traffic.jsonl]
          --csv PATH                per-campaign CSV; the per-persona CSV goes next to it (-personas.csv)
          --markdown PATH           write the tables to this file
          --docs PATH               replace the tables between the detection-benchmark:results markers of this file
          --command TEXT            the reproducing command, printed above the tables
          --detected-share X        share of attack requests whose keys must be acted on for 'detected' [0.5]
        """;

    /// <summary>Parses, scores and writes; returns the exit code.</summary>
    public static int Execute(IReadOnlyList<string> args, TextWriter output)
    {
        var reader = new ArgReader(args, new HashSet<string>());
        var inputs = reader.String("in", "load-tests/results/traffic.jsonl").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var settings = new ScoreOutputs(
            reader.OptionalString("csv"), reader.OptionalString("markdown"), reader.OptionalString("docs"), reader.OptionalString("command"));
        var targets = new ScoringTargets(DetectedShare: reader.Double("detected-share", 0.5, 0.01, 1));
        reader.RejectUnknown();
        foreach (var missing in inputs.Where(i => !File.Exists(i)))
        {
            reader.Errors.Add($"--in: no file '{missing}'");
        }

        if (reader.Errors.Count > 0)
        {
            reader.Errors.ForEach(e => Console.Error.WriteLine("error: " + e));
            Console.Error.WriteLine(Usage);
            return 1;
        }

        var score = DetectionScorer.Score(ScoringRecords.Read(inputs), targets);
        Write(score, settings, output);
        return 0;
    }

    /// <summary>Writes <paramref name="score"/> where <paramref name="outputs"/> says, and its tables to <paramref name="output"/>.</summary>
    public static void Write(DetectionScore score, ScoreOutputs outputs, TextWriter output)
    {
        var tables = ScoreReport.Markdown(score, outputs.Command);
        if (outputs.Csv is { } csv)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csv))!);
            File.WriteAllText(csv, ScoreReport.CampaignCsv(score));
            var personas = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csv))!, Path.GetFileNameWithoutExtension(csv) + "-personas.csv");
            File.WriteAllText(personas, ScoreReport.PersonaCsv(score));
            output.WriteLine($"csv: {Path.GetFullPath(csv)}, {personas}");
        }

        if (outputs.Markdown is { } markdown)
        {
            File.WriteAllText(markdown, tables);
        }

        if (outputs.Docs is { } docs)
        {
            File.WriteAllText(docs, ScoreReport.ReplaceSection(File.ReadAllText(docs), tables));
            output.WriteLine($"tables written into {docs}");
        }

        output.WriteLine(tables);
    }
}

/// <summary>Where <c>score</c> writes.</summary>
/// <param name="Csv">Per-campaign CSV path.</param>
/// <param name="Markdown">Markdown file.</param>
/// <param name="Docs">Markdown document whose results section is replaced.</param>
/// <param name="Command">Reproducing command shown above the tables.</param>
public sealed record ScoreOutputs(string? Csv, string? Markdown, string? Docs, string? Command);
