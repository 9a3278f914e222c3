using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Personas;

/// <summary>The benign personas, by the name they carry in labels.</summary>
public static class PersonaNames
{
    /// <summary><see cref="ChatUserPersona"/>.</summary>
    public const string Chat = "chat";

    /// <summary><see cref="RagAppPersona"/>.</summary>
    public const string Rag = "rag";

    /// <summary><see cref="ClassifierAppPersona"/>.</summary>
    public const string Classifier = "classifier";

    /// <summary><see cref="EmbeddingsAppPersona"/>.</summary>
    public const string Embeddings = "embeddings";

    /// <summary>All personas.</summary>
    public static IReadOnlyList<string> All { get; } = [Chat, Rag, Classifier, Embeddings];

    /// <summary>Creates a persona of kind <see cref="TrafficLabel.Family"/>.</summary>
    public static TrafficActor Create(TrafficLabel label, int requests, double window, SeededRandom random, PersonaTiming timing) => label.Family switch
    {
        Chat => new ChatUserPersona(label, requests, window, random, timing),
        Rag => new RagAppPersona(label, requests, window, random, timing),
        Classifier => new ClassifierAppPersona(label, requests, window, random, timing),
        Embeddings => new EmbeddingsAppPersona(label, requests, window, random, timing),
        _ => throw new ArgumentException($"Unknown persona '{label.Family}'.", nameof(label)),
    };
}
