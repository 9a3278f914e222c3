using GenSafety.Detectors.Randomness;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// Seeded sports-news paragraphs: text of another genre and vocabulary than the reference model's dictionary-style
/// corpus, for the validation's confounded pair (a bag-of-words classifier must tell them apart without the model).
/// </summary>
internal static class OffDistributionText
{
    private static readonly string[] Teams = ["Rovers", "United", "Athletic", "City", "Wanderers", "Harriers", "Rangers", "Albion", "Dynamo", "Olympic"];
    private static readonly string[] Players = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Brennan", "Haddad", "Kowalski", "Ibarra"];
    private static readonly string[] Days = ["Saturday", "Sunday", "Tuesday", "Wednesday"];
    private static readonly string[] Templates =
    [
        "{T1} beat {T2} {S1}-{S2} on {D} after a late strike from {P1}.",
        "The coach praised the defence, saying the back four never gave {T2} a clear sight of goal.",
        "{P1} has now scored in five straight league matches, the best run of his career.",
        "A crowd of {N} thousand watched the derby under the floodlights.",
        "{T2} had a penalty appeal turned down before the break, and their manager was booked for protesting.",
        "Injuries to {P2} and {P3} left {T1} with only three substitutes on the bench.",
        "The win lifts {T1} to third in the table, two points behind the leaders.",
        "{P2} hit the crossbar twice in the second half as {T2} chased an equaliser.",
        "Fans of {T1} sang throughout the second half and stayed long after the final whistle.",
        "The referee added six minutes of stoppage time, during which {P3} was sent off for a second yellow card.",
    ];

    public static IReadOnlyList<string> Create(int count, ulong seed)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive((long)seed, 424_242));
        string Pick(string[] items) => items[random.NextInt(items.Length)];
        var documents = new List<string>(count);
        for (var d = 0; d < count; d++)
        {
            var sentences = Enumerable.Range(0, 8).Select(_ => Pick(Templates)
                .Replace("{T1}", Pick(Teams), StringComparison.Ordinal).Replace("{T2}", Pick(Teams), StringComparison.Ordinal)
                .Replace("{P1}", Pick(Players), StringComparison.Ordinal).Replace("{P2}", Pick(Players), StringComparison.Ordinal)
                .Replace("{P3}", Pick(Players), StringComparison.Ordinal).Replace("{D}", Pick(Days), StringComparison.Ordinal)
                .Replace("{S1}", (1 + random.NextInt(4)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{S2}", random.NextInt(2).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{N}", (10 + random.NextInt(60)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            documents.Add("Match report. " + string.Join(' ', sentences));
        }

        return documents;
    }
}
