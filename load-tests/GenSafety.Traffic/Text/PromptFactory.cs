using System.Text;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Text;

/// <summary>Fills prompt templates from <see cref="WordLists"/> and varies their surface the way people type.</summary>
public static class PromptFactory
{
    /// <summary>
    /// Replaces <c>{noun}</c>, <c>{noun2}</c> (a different noun), <c>{verb}</c>, <c>{adj}</c>, <c>{topic}</c> and
    /// <c>{number}</c> in <paramref name="template"/> with words of <paramref name="topic"/>.
    /// </summary>
    public static string Fill(string template, Topic topic, SeededRandom random)
    {
        var noun = random.Pick(topic.Nouns);
        var noun2 = topic.Nouns.Count > 1 ? random.Pick(topic.Nouns.Where(n => n != noun).ToList()) : noun;
        return template
            .Replace("{noun}", noun, StringComparison.Ordinal)
            .Replace("{noun2}", noun2, StringComparison.Ordinal)
            .Replace("{verb}", random.Pick(topic.Verbs), StringComparison.Ordinal)
            .Replace("{adj}", random.Pick(WordLists.Adjectives), StringComparison.Ordinal)
            .Replace("{topic}", topic.Name, StringComparison.Ordinal)
            .Replace("{number}", random.Next(2, 8).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// How a person types: sometimes all lower case, sometimes without the final punctuation, sometimes with a
    /// greeting or a "please" / "thanks".
    /// </summary>
    public static string Humanize(string text, SeededRandom random)
    {
        if (random.Chance(0.15))
        {
            text = random.Pick(Greetings) + text;
        }

        if (random.Chance(0.1))
        {
            text += random.Pick(Closings);
        }

        if (random.Chance(0.2))
        {
            text = text.ToLowerInvariant();
        }

        if (random.Chance(0.15) && text.Length > 1 && text[^1] is '?' or '.')
        {
            text = text[..^1];
        }

        return text;
    }

    /// <summary>A sentence of <paramref name="words"/> words drawn from the whole vocabulary (no topic, no grammar).</summary>
    public static string WordSequence(SeededRandom random, int words)
    {
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            text.Append(i == 0 ? string.Empty : " ").Append(random.Pick(WordLists.Vocabulary));
        }

        return text.ToString();
    }

    /// <summary>A short statement about a noun of <paramref name="topic"/>, like a sentence from a document.</summary>
    public static string Statement(Topic topic, SeededRandom random) => Fill(random.Pick(Statements), topic, random);

    /// <summary>A short document (2 to 4 statements) about <paramref name="topic"/>.</summary>
    public static string Document(Topic topic, SeededRandom random)
    {
        var count = random.Next(2, 5);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? string.Empty : " ").Append(Statement(topic, random));
        }

        return text.ToString();
    }

    private static readonly string[] Greetings = ["hi, ", "Hello! ", "hey ", "Quick question: ", "Hi there. "];

    private static readonly string[] Closings = [" Thanks!", " please", " Thank you.", " (asking for a friend)", " :)"];

    private static readonly string[] Statements =
    [
        "Most people {verb} {noun} once a month.",
        "A {adj} approach to {noun} saves time.",
        "Experts recommend you {verb} {noun} before {noun2}.",
        "{noun} and {noun2} are often confused by beginners.",
        "In {topic}, {noun} is a common first project.",
        "You can {verb} {noun} in about {number} steps.",
        "The {adj} choice is usually {noun}.",
        "Many guides on {topic} start with {noun}.",
        "It is easy to {verb} {noun} with the right tools.",
        "{noun} costs less than {noun2} in most places.",
    ];
}
