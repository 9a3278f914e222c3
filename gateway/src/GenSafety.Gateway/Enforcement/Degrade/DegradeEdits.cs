namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>What a response transform changed; each flag maps to one <see cref="DegradeChanges"/> name.</summary>
[Flags]
internal enum DegradeEdits
{
    None = 0,
    LogprobsQuantized = 1,
    TopLogprobsTruncated = 2,
    EmbeddingsNoised = 4,
}

internal static class DegradeEditsExtensions
{
    public static List<string> Names(this DegradeEdits edits)
    {
        var names = new List<string>(3);
        if ((edits & DegradeEdits.LogprobsQuantized) != 0)
        {
            names.Add(DegradeChanges.LogprobsQuantized);
        }

        if ((edits & DegradeEdits.TopLogprobsTruncated) != 0)
        {
            names.Add(DegradeChanges.TopLogprobsTruncated);
        }

        if ((edits & DegradeEdits.EmbeddingsNoised) != 0)
        {
            names.Add(DegradeChanges.EmbeddingsNoised);
        }

        return names;
    }
}
