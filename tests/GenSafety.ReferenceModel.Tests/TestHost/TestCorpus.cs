using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Tests.TestHost;

/// <summary>The shipped corpus as the test output sees it (proves the data files reach referencing projects).</summary>
internal static class TestCorpus
{
    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "ReferenceModelData");

    public static ReferenceCorpus Corpus { get; } = ReferenceCorpus.Load(DataDirectory);

    public static TrainedModel Default => LanguageModelCache.Get(DataDirectory, new ReferenceModelOptions().Order, lowRank: false, 0, 0);

    /// <summary>A prefix of <paramref name="text"/> of at least <paramref name="minChars"/> characters that ends at a word end (before a space).</summary>
    public static string Prefix(string text, int minChars)
    {
        var at = text.IndexOf(' ', minChars);
        return at < 0 ? text : text[..at];
    }
}
