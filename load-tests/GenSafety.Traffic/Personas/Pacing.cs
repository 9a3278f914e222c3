using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Personas;

/// <summary>
/// When an actor sends: a model of the gaps between its requests, planned in advance (timing never depends on
/// responses, so a seed fixes every send time). Each model has one free parameter — the idle time between
/// sessions or bursts, or the mean gap — which it sets so that the planned requests fill the campaign's window
/// on average; the human parts (think time, burst spacing) stay as configured.
/// </summary>
public abstract record Pacing
{
    /// <summary>Plans <paramref name="count"/> sends between about <paramref name="start"/> and <paramref name="window"/> (virtual seconds).</summary>
    public abstract List<PlannedSend> Plan(int count, double start, double window, SeededRandom random);

    /// <summary>
    /// Stretches or shrinks <paramref name="plan"/> linearly so that it runs from <paramref name="start"/> to
    /// <paramref name="end"/>, keeping the shape of its gaps (spreads an attack over the benign traffic's span).
    /// </summary>
    public static List<PlannedSend> FitToWindow(List<PlannedSend> plan, double start, double end)
    {
        if (plan.Count == 0)
        {
            return plan;
        }

        var (first, last) = (plan[0].T, plan[^1].T);
        var scale = last > first ? (end - start) / (last - first) : 0;
        return [.. plan.Select(p => p with { T = Math.Min(end, start + ((p.T - first) * scale)) })];
    }

    /// <summary>Plans sends from <paramref name="start"/> with gaps drawn from <paramref name="gap"/>.</summary>
    private protected static List<PlannedSend> PlanSpaced(int count, double start, Func<double> gap)
    {
        var plan = new List<PlannedSend>(count);
        var t = start;
        for (var i = 0; i < count; i++)
        {
            plan.Add(new PlannedSend(t, i == 0));
            t += gap();
        }

        return plan;
    }

    /// <summary>Plans grouped sends: groups of a geometric size (mean <paramref name="meanGroup"/>), <paramref name="within"/> gaps inside a group, exponential idle time between groups sized to fill the window.</summary>
    private protected static List<PlannedSend> PlanGroups(
        int count, double start, double window, SeededRandom random, double meanGroup, double meanWithin, Func<double> within)
    {
        var groups = Math.Max(1, count / meanGroup);
        var busy = (count - groups) * meanWithin;
        var idle = groups > 1 ? Math.Max(meanWithin, (window - start - busy) / (groups - 1)) : 0;
        var plan = new List<PlannedSend>(count);
        var t = start;
        var left = 0;
        while (plan.Count < count)
        {
            var starts = left == 0;
            if (starts)
            {
                left = random.Geometric(meanGroup);
                t += plan.Count > 0 ? random.Exponential(idle) : 0;
            }
            else
            {
                t += within();
            }

            plan.Add(new PlannedSend(t, starts));
            left--;
        }

        return plan;
    }
}

/// <summary>
/// A person at a chat UI: sessions of a geometric number of turns (mean <paramref name="MeanTurns"/>), log-normal
/// think time between turns (median <paramref name="ThinkMedianSeconds"/>, log-space spread <paramref name="ThinkSigma"/>:
/// reading the answer and typing the next question), exponential gaps between sessions.
/// </summary>
public sealed record SessionPacing(double MeanTurns, double ThinkMedianSeconds, double ThinkSigma) : Pacing
{
    /// <inheritdoc />
    public override List<PlannedSend> Plan(int count, double start, double window, SeededRandom random) =>
        PlanGroups(count, start, window, random, MeanTurns, ThinkMedianSeconds * Math.Exp(ThinkSigma * ThinkSigma / 2),
            () => random.LogNormal(ThinkMedianSeconds, ThinkSigma));
}

/// <summary>
/// A batch job: bursts of a geometric number of requests (mean <paramref name="MeanBurst"/>) sent
/// <paramref name="MinGapSeconds"/>–<paramref name="MaxGapSeconds"/> apart, with idle time between bursts.
/// </summary>
public sealed record BurstPacing(double MeanBurst, double MinGapSeconds, double MaxGapSeconds) : Pacing
{
    /// <inheritdoc />
    public override List<PlannedSend> Plan(int count, double start, double window, SeededRandom random) =>
        PlanGroups(count, start, window, random, MeanBurst, (MinGapSeconds + MaxGapSeconds) / 2, () => random.Uniform(MinGapSeconds, MaxGapSeconds));
}

/// <summary>A service calling on behalf of many users: a Poisson process whose rate fills the window.</summary>
public sealed record PoissonPacing : Pacing
{
    /// <inheritdoc />
    public override List<PlannedSend> Plan(int count, double start, double window, SeededRandom random)
    {
        var meanGap = Math.Max(1e-3, (window - start) / Math.Max(1, count));
        return PlanSpaced(count, start, () => random.Exponential(meanGap));
    }
}

/// <summary>A script: evenly spaced sends, each gap varied by ± <paramref name="Jitter"/> of itself (the rhythm of automation).</summary>
public sealed record RegularPacing(double Jitter) : Pacing
{
    /// <inheritdoc />
    public override List<PlannedSend> Plan(int count, double start, double window, SeededRandom random)
    {
        var interval = Math.Max(1e-3, (window - start) / Math.Max(1, count));
        return PlanSpaced(count, start, () => interval * (1 + random.Uniform(-Jitter, Jitter)));
    }
}
