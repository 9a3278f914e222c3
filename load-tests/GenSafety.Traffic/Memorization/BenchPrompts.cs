using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Memorization;

/// <summary>The benchmark's probes.</summary>
public static class BenchPrompts
{
    /// <summary>Offsets (in characters, moved to the next word) of the non-member prefixes.</summary>
    public static IReadOnlyList<int> NonMemberOffsets { get; } = [0, 150, 300, 450];

    /// <summary>Prefix prompting: the first <paramref name="prefixChars"/> characters of each member, buffered and streamed.</summary>
    public static IEnumerable<BenchProbe> Extraction(IEnumerable<string> members, int prefixChars) =>
        from member in members
        from stream in new[] { false, true }
        select new BenchProbe("extraction", "member prefix", member[..Math.Min(prefixChars, member.Length)], Chat: false, stream);

    /// <summary>
    /// Restyle probes and the scripted answers behind them: each member's continuation after its prefix in each
    /// <see cref="Restyle"/> variant, buffered and streamed.
    /// </summary>
    public static (List<BenchProbe> Probes, Dictionary<string, string> Answers) Restyled(IEnumerable<string> members, int prefixChars)
    {
        var probes = new List<BenchProbe>();
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in members.Where(m => m.Length > prefixChars))
        {
            foreach (var variant in Restyle.Variants)
            {
                var prompt = $"Continue in style {variant}: {member[..prefixChars]}";
                answers[prompt] = Restyle.Apply(variant, member[prefixChars..]);
                probes.Add(new BenchProbe("restyle", variant, prompt, Chat: false, Stream: false));
                probes.Add(new BenchProbe("restyle", variant, prompt, Chat: false, Stream: true));
            }
        }

        return (probes, answers);
    }

    /// <summary>
    /// <paramref name="count"/> benign probes, alternately buffered and streamed: prefixes of the non-members at
    /// <see cref="NonMemberOffsets"/>, then distinct seeded chat questions from <see cref="WordLists.ChatOpeners"/>
    /// (fewer than <paramref name="count"/> when the templates run out of distinct questions).
    /// </summary>
    public static List<BenchProbe> Benign(IReadOnlyList<string> nonMembers, int prefixChars, int count, ulong seed)
    {
        var probes = new List<BenchProbe>(count);
        foreach (var offset in NonMemberOffsets)
        {
            foreach (var document in nonMembers)
            {
                var start = offset == 0 ? 0 : offset < document.Length ? document.IndexOf(' ', offset) + 1 : -1;
                if (probes.Count < count && (offset == 0 || start > 0) && start + prefixChars <= document.Length)
                {
                    probes.Add(new BenchProbe("benign", "non-member prefix", document.Substring(start, prefixChars), Chat: false, Stream: probes.Count % 2 == 1));
                }
            }
        }

        // Distinct questions only: greedy decoding answers a repeated prompt identically, which would count one output twice.
        var random = new SeededRandom(seed).Fork("memorization-benign");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var attempts = 0; probes.Count < count && attempts < count * 50; attempts++)
        {
            var question = PromptFactory.Humanize(PromptFactory.Fill(random.Pick(WordLists.ChatOpeners), random.Pick(WordLists.Topics), random), random);
            if (seen.Add(question))
            {
                probes.Add(new BenchProbe("benign", "chat question", question, Chat: true, Stream: probes.Count % 2 == 1));
            }
        }

        return probes;
    }
}
