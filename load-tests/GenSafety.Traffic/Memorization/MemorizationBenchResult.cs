namespace GenSafety.Traffic.Memorization;

/// <summary>What the memorization benchmark measured.</summary>
/// <param name="Options">What it ran.</param>
/// <param name="Rows">Extraction, restyle and benign lines, filter off and on.</param>
/// <param name="Divergence">Prompt-side divergence detection.</param>
/// <param name="ProtectedDocuments">Documents protected on the filtering gateways.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record MemorizationBenchResult(
    MemorizationBenchOptions Options,
    IReadOnlyList<BenchRow> Rows,
    DivergencePromptScore Divergence,
    int ProtectedDocuments,
    TimeSpan Elapsed)
{
    /// <summary>Client-received leaks of member text through the filtering gateway (extraction and restyles).</summary>
    public int LeaksWithFilter => Rows.Where(r => r.Filter == "on" && r.Section is "extraction" or "restyle").Sum(r => r.Leaks);

    /// <summary>Leaks of the reference model's own outputs with the filter off (extraction).</summary>
    public int LeaksWithoutFilter => Rows.Where(r => r.Filter == "off" && r.Section == "extraction").Sum(r => r.Leaks);

    /// <summary>Garak prompts' diverging answers through the prompt-checking gateway, and how many were stopped.</summary>
    public (int Count, int Stopped) DivergingAnswers => Count("diverging answer to garak prompt");

    /// <summary>Garak prompts' repetition-only answers through the prompt-checking gateway, and how many were stopped.</summary>
    public (int Count, int Stopped) RepeatingAnswers => Count("repetition-only answer to garak prompt");

    /// <summary>Benign repetition prompts' prose answers through the prompt-checking gateway, and how many were stopped.</summary>
    public (int Count, int Stopped) BenignRepetitionAnswers => Count("prose answer to benign repetition prompt");

    /// <summary>Benign responses through the filter.</summary>
    public int BenignResponses => Benign.Sum(r => r.Responses);

    /// <summary>Benign responses stopped.</summary>
    public int BenignStopped => Benign.Sum(r => r.Stopped);

    /// <summary>Benign probes whose unfiltered output is clean (the false-stop denominator).</summary>
    public int BenignClean => Benign.Sum(r => r.Clean);

    /// <summary>Clean benign probes stopped (false stops).</summary>
    public int BenignFalseStops => Benign.Sum(r => r.CleanStopped);

    /// <summary>Benign probes whose unfiltered output copies T or more characters of a member (stops that are right).</summary>
    public int BenignCopies => Benign.Sum(r => r.Responses - r.Clean - r.Partial);

    /// <summary>Benign probes whose unfiltered output is a partial copy, and how many of them were stopped.</summary>
    public (int Count, int Stopped) BenignPartial => (Benign.Sum(r => r.Partial), Benign.Sum(r => r.PartialStopped));

    private (int Count, int Stopped) Count(string divergenceCase)
    {
        var rows = Rows.Where(r => r.Filter == "on" && r.Section == "divergence" && r.Case == divergenceCase).ToList();
        return (rows.Sum(r => r.Responses), rows.Sum(r => r.Stopped));
    }

    private IEnumerable<BenchRow> Benign => Rows.Where(r => r.Filter == "on" && r.Section == "benign");
}
