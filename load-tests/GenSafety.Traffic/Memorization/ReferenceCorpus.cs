using System.Text.Json;

namespace GenSafety.Traffic.Memorization;

/// <summary>The reference model's member and non-member documents, as shipped with its build.</summary>
public static class ReferenceCorpus
{
    /// <summary>The documents the model was trained on (it regurgitates them).</summary>
    public static IReadOnlyList<string> Members { get; } = Read("members.jsonl");

    /// <summary>Documents of the same kind it was not trained on.</summary>
    public static IReadOnlyList<string> NonMembers { get; } = Read("nonmembers.jsonl");

    private static string[] Read(string file) =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "ReferenceModelData", file))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)];
}
