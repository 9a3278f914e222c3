using GenSafety.Traffic.Api;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Attacks.Encoder;

/// <summary>
/// A4, encoder stealing (the threat model of B4B, Dubiński et al. 2023): query the embeddings API with texts that
/// cover as much of the space as possible — every topic, documents, questions, word salad — in batches, and keep
/// every (text, embedding) pair to fit a surrogate (<see cref="SurrogateFidelity"/>). With varied wording the batch
/// size changes from request to request and the texts are typed like a person's.
/// </summary>
public sealed class EncoderStealing : IAttack
{
    private readonly AttackSetup _setup;
    private readonly SeededRandom[] _keys;
    private readonly List<(int Sybil, int Index, EmbeddingPair Pair)> _pairs = [];
    private readonly int[] _received;
    private readonly QueryCounter _counter = new();
    private readonly Lock _lock = new();

    /// <summary>An attacker with <see cref="AttackSetup.Sybils"/> keys.</summary>
    public EncoderStealing(AttackSetup setup)
    {
        _setup = setup;
        _keys = setup.KeyStreams("key");
        _received = new int[setup.Sybils];
    }

    /// <inheritdoc />
    public string Family => AttackFamilies.EncoderStealing;

    /// <summary>Fidelity of the surrogate, once <see cref="Evaluate"/> has run.</summary>
    public FidelityResult? Fidelity { get; private set; }

    /// <summary>The pairs collected so far, in a fixed order (by key, then by arrival within the key).</summary>
    public IReadOnlyList<EmbeddingPair> Pairs
    {
        get
        {
            lock (_lock)
            {
                return [.. _pairs.OrderBy(p => p.Sybil).ThenBy(p => p.Index).Select(p => p.Pair)];
            }
        }
    }

    /// <summary>A text of the broad query distribution.</summary>
    public static string BroadText(SeededRandom random)
    {
        var topic = random.Pick(WordLists.Topics);
        return random.Next(4) switch
        {
            0 => PromptFactory.Document(topic, random),
            1 => PromptFactory.Statement(topic, random),
            2 => PromptFactory.Fill(random.Pick(WordLists.ChatOpeners), topic, random),
            _ => PromptFactory.WordSequence(random, random.Next(3, 16)),
        };
    }

    /// <summary>Held-out texts from the same distribution, fixed by the attack's seed and disjoint in stream from the queries.</summary>
    public IReadOnlyList<string> HeldOutTexts()
    {
        var random = _setup.Random.Fork("held-out");
        return [.. Enumerable.Range(0, _setup.Options.A4HeldOut).Select(_ => BroadText(random))];
    }

    /// <inheritdoc />
    public TrafficRequest? NextFor(int sybil)
    {
        var random = _keys[sybil];
        var batch = _setup.VariedWording ? random.Next(1, 17) : _setup.Options.A4BatchSize;
        var texts = new List<string>(batch);
        for (var i = 0; i < batch; i++)
        {
            var text = BroadText(random);
            texts.Add(_setup.VariedWording ? PromptFactory.Humanize(text, random) : text);
        }

        return TrafficRequest.Embeddings("a4-query", texts, texts);
    }

    /// <inheritdoc />
    public void Observe(int sybil, TrafficRequest request, TrafficResponse response)
    {
        if (!_counter.Count(response) || request.Tag is not List<string> texts || response.Embeddings.Count != texts.Count)
        {
            return;
        }

        lock (_lock)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                _pairs.Add((sybil, _received[sybil]++, new EmbeddingPair(texts[i], response.Embeddings[i])));
            }
        }
    }

    /// <summary>
    /// Scores a surrogate fitted on the collected pairs against <paramref name="cleanHeldOut"/>: clean embeddings of
    /// <see cref="HeldOutTexts"/>, from the undefended model. Null when too few pairs were collected.
    /// </summary>
    public FidelityResult? Evaluate(IReadOnlyList<EmbeddingPair> cleanHeldOut)
    {
        var pairs = Pairs;
        Fidelity = pairs.Count < 10 ? null : SurrogateFidelity.Measure(pairs, cleanHeldOut, new CharNGramFeatures(_setup.Options.A4Features));
        return Fidelity;
    }

    /// <inheritdoc />
    public AttackReport Report() => _counter.Stamp(Family, new EncoderReport
    {
        PairsCollected = Pairs.Count,
        SurrogateMeanCosine = Fidelity?.MeanCosine,
        SurrogateLambda = Fidelity?.Lambda,
        MeanEmbeddingCosine = Fidelity?.MeanEmbeddingCosine,
        HeldOut = Fidelity?.HeldOut,
    });
}

/// <summary>What encoder stealing (A4) collected, and the surrogate's fidelity when it was scored.</summary>
public sealed record EncoderReport : AttackReport
{
    /// <summary>(text, embedding) pairs received.</summary>
    public required int PairsCollected { get; init; }

    /// <summary>Mean cosine of the surrogate against clean embeddings on held-out texts (null: not scored, no oracle).</summary>
    public double? SurrogateMeanCosine { get; init; }

    /// <summary>Mean cosine of the constant mean-embedding guess (the floor the surrogate must beat).</summary>
    public double? MeanEmbeddingCosine { get; init; }

    /// <summary>Ridge penalty chosen.</summary>
    public double? SurrogateLambda { get; init; }

    /// <summary>Held-out texts scored.</summary>
    public int? HeldOut { get; init; }
}
