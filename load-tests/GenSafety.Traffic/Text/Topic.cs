namespace GenSafety.Traffic.Text;

/// <summary>A subject area with the words that prompts about it are built from.</summary>
/// <param name="Name">Short name (also used in prompts: "a question about {Name}").</param>
/// <param name="Nouns">Things people ask about.</param>
/// <param name="Verbs">What they want to do with them (base form).</param>
public sealed record Topic(string Name, IReadOnlyList<string> Nouns, IReadOnlyList<string> Verbs);
