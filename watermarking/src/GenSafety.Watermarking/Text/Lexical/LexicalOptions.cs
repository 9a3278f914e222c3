namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>Settings of the <c>lexical</c> scheme (section <c>GenSafety:Watermarking:Lexical</c>).</summary>
public sealed class LexicalOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Watermarking:Lexical";

    /// <summary>Per-key false-positive rate target of detection, before the Bonferroni correction over keys. Default 1e-3.</summary>
    public double TargetFalsePositiveRate { get; set; } = 1e-3;

    /// <summary>
    /// Longest run of non-whitespace a stream holds back waiting for its end (longer runs, never lexicon words, pass
    /// through untouched). Default 64 characters.
    /// </summary>
    public int MaxHeldCharacters { get; set; } = 64;
}
