namespace GenSafety.Watermarking.Keys;

/// <summary>Key rotation settings (section <c>GenSafety:Watermarking:Keys</c>). The master secret itself is not here.</summary>
public sealed class KeyRingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Watermarking:Keys";

    /// <summary>Length of one key epoch; epoch n covers [n·period, (n+1)·period) since the Unix epoch. Default 30 days.</summary>
    public TimeSpan RotationPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How many epochs before the current one detection still tries (the retired keys). Each extra key costs a factor
    /// in the Bonferroni correction. Default 3.
    /// </summary>
    public int RetiredEpochs { get; set; } = 3;
}
