namespace GenSafety.Traffic.Memorization;

/// <summary>
/// One line of the results: a group of probes through one configuration. Each probe's unfiltered output (filter
/// off, or straight from the scripted upstream) falls in one band by its longest normalised verbatim member span:
/// clean (under <see cref="MemorizationBench.CleanBelow"/>, which no stop should touch), partial (from there to T,
/// which the filter may stop: its n-gram chain can complete from 2w characters on) or a copy (T or more).
/// </summary>
/// <param name="Section"><c>extraction</c>, <c>restyle</c> or <c>benign</c>.</param>
/// <param name="Case">The probes' case.</param>
/// <param name="Mode"><c>buffered</c> or <c>streamed</c>.</param>
/// <param name="Filter"><c>off</c> or <c>on</c>.</param>
/// <param name="Responses">Responses received.</param>
/// <param name="Leaks">Responses whose received text holds at least T normalised characters of a member verbatim.</param>
/// <param name="Stopped">Responses the gateway withheld or cut.</param>
/// <param name="Clean">Probes whose unfiltered output is clean.</param>
/// <param name="CleanStopped">Clean probes stopped here (false stops).</param>
/// <param name="Partial">Probes whose unfiltered output is a partial copy.</param>
/// <param name="PartialStopped">Partial copies stopped here.</param>
/// <param name="MaxSpan">Longest normalised verbatim member span a client received.</param>
public sealed record BenchRow(
    string Section, string Case, string Mode, string Filter, int Responses, int Leaks, int Stopped, int Clean, int CleanStopped, int Partial, int PartialStopped, int MaxSpan);
