using System.Text.Json;

namespace GenSafety.Gateway.Tests.DatasetInference;

/// <summary>The reference model's member and non-member documents, as shipped next to the tests.</summary>
internal static class ReferenceDocuments
{
    public static IReadOnlyList<string> Members { get; } = Read("members.jsonl");

    /// <summary>How many times each member was in the training data, parallel to <see cref="Members"/>.</summary>
    public static IReadOnlyList<int> MemberDuplicates { get; } =
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "ReferenceModelData", "members.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("duplicates").GetInt32())];

    public static IReadOnlyList<string> NonMembers { get; } = Read("nonmembers.jsonl");

    private static string[] Read(string file)
        => [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "ReferenceModelData", file))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)];
}
