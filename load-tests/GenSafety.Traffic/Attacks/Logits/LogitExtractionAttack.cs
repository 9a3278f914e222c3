using GenSafety.Traffic.Api;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Attacks.Logits;

/// <summary>
/// What the logit-extraction attacks (A1, A2) share: the tokens they sweep — single-token words in random order,
/// the reference <c>" the"</c> first, since every prompt can produce it — the prompts (short random word sequences,
/// each a different context and so a different hidden state h), one wording stream per key, the
/// prompt × token <see cref="LogitMatrix"/> they fill, and the SVD report.
/// </summary>
public abstract class LogitExtractionAttack : IAttack
{
    /// <summary>Plans <paramref name="tokens"/> tokens and as many prompts as <paramref name="promptsFor"/> asks for, given the tokens found.</summary>
    protected LogitExtractionAttack(AttackSetup setup, int tokens, Func<int, int> promptsFor)
    {
        Setup = setup;
        var vocabulary = WordLists.Vocabulary.ToList();
        setup.Random.Fork("plan").Shuffle(vocabulary);
        Tokens = [.. TokenIds.SpacedWords(["the", .. vocabulary]).Take(tokens)];
        var words = setup.Random.Fork("prompts");
        Prompts = [.. Enumerable.Range(0, promptsFor(Tokens.Count)).Select(_ => PromptFactory.WordSequence(words, words.Next(4, 9)))];
        Wording = setup.KeyStreams("wording");
        Matrix = new LogitMatrix(Prompts.Count, Tokens.Count);
    }

    /// <inheritdoc />
    public abstract string Family { get; }

    /// <summary>What has been learnt.</summary>
    public LogitMatrix Matrix { get; }

    /// <summary>The attack's setup.</summary>
    protected AttackSetup Setup { get; }

    /// <summary>Swept tokens as (id, text); index 0 is the reference.</summary>
    protected IReadOnlyList<(int Id, string Text)> Tokens { get; }

    /// <summary>Prompts, one matrix row each.</summary>
    protected IReadOnlyList<string> Prompts { get; }

    /// <summary>Per-key streams for the varied-wording variant.</summary>
    protected IReadOnlyList<SeededRandom> Wording { get; }

    /// <summary>Queries and answers.</summary>
    protected QueryCounter Counter { get; } = new();

    /// <inheritdoc />
    public abstract TrafficRequest? NextFor(int sybil);

    /// <inheritdoc />
    public abstract void Observe(int sybil, TrafficRequest request, TrafficResponse response);

    /// <inheritdoc />
    public AttackReport Report() => HiddenSizeReport.From(Family, Counter, Matrix, Prompts.Count);
}
