namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// Count tables of an n-gram model: for each context (by hash) the distinct next-token slots with their counts,
/// stored contiguously from <see cref="ContextStart"/>.
/// </summary>
internal sealed class NGramTables
{
    public required ContextIndex Contexts { get; init; }

    public required int[] ContextStart { get; init; }

    public required int[] ContextDistinct { get; init; }

    public required int[] ContextTotal { get; init; }

    public required int[] EntrySlot { get; init; }

    public required int[] EntryCount { get; init; }

    /// <summary>Unigram counts per slot.</summary>
    public required int[] UnigramCounts { get; init; }

    /// <summary>Number of predicted tokens in training.</summary>
    public required long TokenCount { get; init; }
}
