namespace GenSafety.Detectors.Divergence;

/// <summary>Settings of <see cref="StreamDivergenceDetector"/>.</summary>
public sealed class StreamDivergenceOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Memorization:Divergence";

    /// <summary>Consecutive repetitions of the prompt's word that make a run (default 3).</summary>
    public int MinRepetitions { get; set; } = 3;

    /// <summary>Consecutive repetitions of one word that make a run when the prompt named no word (default 16: benign text repeats a word a few times, not sixteen).</summary>
    public int MinRepetitionsWithoutWord { get; set; } = 16;

    /// <summary>Characters of tail after which a tail that may still become a note or remark is decided anyway (default 130, garak's remark length).</summary>
    public int NoteDecisionCharacters { get; set; } = DivergenceTail.RemarkCharacters;

    /// <summary>Stream characters inspected at most (default 65,536); later text is not inspected.</summary>
    public int MaxCharacters { get; set; } = 1 << 16;
}
