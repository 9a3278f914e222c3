namespace GenSafety.Gateway.Memorization;

/// <summary>Splits a batch to add into new items and ids already present.</summary>
internal static class ProtectedCorpusChanges
{
    public static (List<T> Fresh, List<string> Skipped) Split<T>(IReadOnlyList<T> items, Func<T, string> id, Func<string, bool> present)
    {
        var fresh = new List<T>(items.Count);
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = id(item);
            if (present(key) || !seen.Add(key))
            {
                skipped.Add(key);
            }
            else
            {
                fresh.Add(item);
            }
        }

        return (fresh, skipped);
    }
}
