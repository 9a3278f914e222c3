namespace GenSafety.Detectors.Divergence;

/// <summary>Whether an output diverged from a requested repetition, and where.</summary>
/// <param name="Diverged">True when the output left the repetition for other text (a possible training-data emission).</param>
/// <param name="DivergenceOffset">Offset in the output where the divergent text starts (truncate there); -1 when none.</param>
/// <param name="Repetitions">Repetitions of the word seen in the run(s).</param>
public readonly record struct DivergenceVerdict(bool Diverged, long DivergenceOffset, int Repetitions)
{
    /// <summary>No divergence.</summary>
    public static DivergenceVerdict None => new(false, -1, 0);
}
