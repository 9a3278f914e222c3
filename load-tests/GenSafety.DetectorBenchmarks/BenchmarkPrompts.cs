namespace GenSafety.DetectorBenchmarks;

/// <summary>Deterministic English-like prompts of a given length, so runs are comparable across machines.</summary>
internal static class BenchmarkPrompts
{
    private static readonly string[] Openers =
    [
        "Explain", "Summarise", "Write a short note about", "List three facts about", "Compare", "Describe",
        "Give an example of", "What is the history of", "How would you improve", "Translate into French",
    ];

    private static readonly string[] Words =
    [
        "the", "network", "river", "policy", "energy", "garden", "market", "history", "protein", "compiler", "winter",
        "budget", "customer", "language", "theory", "village", "engine", "museum", "contract", "signal", "forest",
        "ancient", "modern", "quickly", "carefully", "between", "without", "because", "during", "several", "small",
        "large", "green", "digital", "public", "private", "simple", "complex", "local", "global", "of", "and", "in",
    ];

    /// <summary><paramref name="count"/> prompts of about <paramref name="words"/> words each (about 1.3 tokens a word).</summary>
    public static string[] Create(int count, int words, int seed)
    {
        var random = new Random(seed);
        var prompts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var parts = new string[words];
            parts[0] = Openers[random.Next(Openers.Length)];
            for (var w = 1; w < words; w++)
            {
                parts[w] = Words[random.Next(Words.Length)];
            }

            prompts[i] = string.Join(' ', parts) + ".";
        }

        return prompts;
    }
}
