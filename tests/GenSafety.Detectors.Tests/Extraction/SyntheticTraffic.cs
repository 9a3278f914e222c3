using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Extraction;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.Extraction;

/// <summary>
/// Seeded benign and attack query streams: natural-ish prompts from topic word lists (embedded with the hashing
/// embedder), and Gaussian clusters on the sphere. A tenant's traffic uses topics 0–7; topics 8–9 never occur in it.
/// </summary>
internal static class SyntheticTraffic
{
    public const int TenantTopics = 8;

    public static readonly HashingEmbedder Embedder = new(new HashingEmbedderOptions());

    /// <summary>The default codec for the embedder's vectors (256 → 128, int8), shared by the tests.</summary>
    public static readonly VectorCodec Codec = new(Embedder.Dimensions);

    private static readonly string[][] Topics =
    [
        ["recipe", "oven", "garlic", "pasta", "sauce", "dough", "spice", "onion", "butter", "flour", "salad", "chicken", "broth", "knife", "pan", "grill", "dessert", "soup", "rice", "bread"],
        ["flight", "hotel", "passport", "visa", "itinerary", "museum", "beach", "train", "luggage", "booking", "airport", "island", "hostel", "tour", "currency", "ferry", "city", "mountain", "cruise", "map"],
        ["function", "variable", "compiler", "loop", "array", "database", "query", "server", "thread", "exception", "class", "module", "debugger", "api", "json", "regex", "pointer", "interface", "deployment", "commit"],
        ["budget", "mortgage", "interest", "loan", "savings", "invoice", "tax", "stock", "dividend", "portfolio", "credit", "pension", "inflation", "bond", "expense", "salary", "audit", "equity", "rent", "insurance"],
        ["sleep", "exercise", "vitamin", "protein", "diet", "muscle", "stretch", "cardio", "hydration", "posture", "calories", "yoga", "stress", "doctor", "symptoms", "fever", "allergy", "running", "recovery", "meditation"],
        ["tomato", "soil", "compost", "seeds", "watering", "pruning", "roses", "fertilizer", "mulch", "greenhouse", "weeds", "shade", "harvest", "bulbs", "lawn", "pests", "orchard", "seedlings", "trellis", "herbs"],
        ["guitar", "chord", "melody", "rhythm", "piano", "tempo", "scale", "lyrics", "album", "drum", "harmony", "violin", "concert", "octave", "band", "chorus", "jazz", "composer", "tune", "bass"],
        ["puppy", "kitten", "leash", "vet", "litter", "aquarium", "parrot", "grooming", "kibble", "hamster", "training", "collar", "fleas", "adoption", "breed", "cage", "treats", "walking", "shelter", "vaccine"],
        ["empire", "treaty", "revolution", "medieval", "dynasty", "war", "castle", "pharaoh", "renaissance", "colony", "monarchy", "senate", "battle", "archive", "ancient", "republic", "crusade", "manuscript", "parliament", "reform"],
        ["theorem", "integral", "matrix", "eigenvalue", "polynomial", "derivative", "topology", "lemma", "vector", "manifold", "tensor", "proof", "axiom", "logarithm", "sequence", "convergence", "prime", "graph", "probability", "equation"],
    ];

    private static readonly string[] Verbs = ["make", "fix", "improve", "plan", "choose", "compare", "learn", "clean", "organise", "find", "write", "start", "avoid", "prepare", "understand", "check", "reduce", "track", "explain", "describe"];
    private static readonly string[] Adjectives = ["best", "simple", "cheap", "quick", "healthy", "safe", "easy", "new", "old", "small", "large", "good", "common", "better", "free", "modern"];
    private static readonly string[] Glue = ["with", "and", "for", "in", "on", "about", "without", "before", "after", "during", "from", "like"];

    private static readonly string[] Patterns =
    [
        "how do i {v} {a} {t} for my {t}",
        "what is the {a} way to {v} {t} and {t}",
        "can you {v} the difference between {t} and {t}",
        "i need help to {v} my {t} {g} {t}",
        "give me some tips to {v} {t} {g} {a} {t}",
        "why does my {t} keep failing {g} the {t}",
        "please {v} a {a} plan for {t} {t} and {t}",
        "is it {a} to {v} {t} {g} {t}",
        "what should i know about {t} before i {v} my {t}",
        "write a short note that {v}s {a} {t} {g} {t}",
    ];

    /// <summary>The Alpaca-like harvesting template (our wording): long, fixed, followed by numbered seed tasks.</summary>
    public const string HarvestTemplate =
        "You are asked to come up with a set of twenty varied task instructions. These instructions will be given to a " +
        "language model and we will judge how well it completes them. Requirements: do not repeat the same verb in two " +
        "instructions; use many kinds of language, questions and imperatives; mix task types such as open generation, " +
        "classification, editing, rewriting and brainstorming; every instruction must be doable by a text model without " +
        "images or audio; write each in English in one or two sentences; give a fitting input where one is needed, and " +
        "an output that answers it well. List of twenty tasks:\n";

    public const string RagTemplate =
        "You are the support assistant of a home appliance shop. Answer the customer's question using only the context " +
        "below. If the answer is not in the context, say that you do not know.\n\nContext:\n";

    public const string ClassifierTemplate =
        "Classify the sentiment of the following customer review as positive, negative or neutral. Answer with exactly " +
        "one word and nothing else.\n\nReview: ";

    public static int TopicCount => Topics.Length;

    /// <summary>A chat-style prompt about <paramref name="topics"/>.</summary>
    public static string Prompt(DeterministicRandom random, IReadOnlyList<int> topics)
    {
        var pattern = Patterns[random.NextInt(Patterns.Length)];
        var words = new List<string>();
        Fill(random, pattern, topics, words);
        var clauses = random.NextDouble() < 0.5 ? 1 + random.NextInt(2) : 0;
        for (var c = 0; c < clauses; c++)
        {
            Fill(random, " and also {v} the {t} {g} {t}", topics, words);
        }

        return string.Join(' ', words) + (random.NextDouble() < 0.7 ? "?" : string.Empty);
    }

    /// <summary>A benign chat client: 1–3 tenant topics, 5% follow-ups that change one word of the previous prompt.</summary>
    public static List<string> ChatClient(ulong seed, int count)
    {
        var random = new DeterministicRandom(seed);
        var topics = PickTopics(random, 1 + random.NextInt(3));
        var prompts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            prompts.Add(i > 0 && random.NextDouble() < 0.05 ? ChangeOneWord(random, prompts[^1], topics) : Prompt(random, topics));
        }

        return prompts;
    }

    /// <summary>PRADA-style synthetic queries: a few seed prompts, then each query perturbs an earlier one (one or two words).</summary>
    public static List<string> PerturbationAttack(ulong seed, int count, int seeds = 5)
    {
        var random = new DeterministicRandom(seed);
        var topics = PickTopics(random, 3);
        var prompts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (i < seeds)
            {
                prompts.Add(Prompt(random, topics));
                continue;
            }

            var changed = ChangeOneWord(random, prompts[random.NextInt(prompts.Count)], topics);
            prompts.Add(random.NextDouble() < 0.5 ? changed : ChangeOneWord(random, changed, topics));
        }

        return prompts;
    }

    /// <summary>A near-duplicate flood: one prompt with one slot filled differently each time.</summary>
    public static List<string> NearDuplicateFlood(ulong seed, int count)
    {
        var random = new DeterministicRandom(seed);
        var topics = PickTopics(random, 1);
        var stem = Prompt(random, topics);
        return Enumerable.Range(0, count).Select(_ => $"{stem} {Word(random, Topics[topics[0]])}").ToList();
    }

    /// <summary>Prompts about topics the tenant never sees (8–9), mixed with random words of every topic: a distribution shift.</summary>
    public static List<string> OffDistributionClient(ulong seed, int count)
    {
        var random = new DeterministicRandom(seed);
        int[] topics = [TenantTopics, TenantTopics + 1];
        return Enumerable.Range(0, count).Select(_ => Prompt(random, topics)).ToList();
    }

    /// <summary>Alpaca-style self-instruct harvesting: the fixed template plus three numbered seed tasks.</summary>
    public static string HarvestPrompt(DeterministicRandom random)
    {
        var all = Enumerable.Range(0, TenantTopics).ToArray();
        return HarvestTemplate + string.Join('\n', Enumerable.Range(1, 3).Select(i => $"{i}. {Prompt(random, all)}")) + "\n4.";
    }

    public static string RagPrompt(DeterministicRandom random, IReadOnlyList<int> topics) =>
        RagTemplate + Prompt(random, topics) + ". " + Prompt(random, topics) + ".\n\nQuestion: " + Prompt(random, topics);

    public static string ClassifierPrompt(DeterministicRandom random, IReadOnlyList<int> topics) => ClassifierTemplate + Prompt(random, topics);

    /// <summary>A question with a chain-of-thought instruction.</summary>
    public static string ReasoningPrompt(DeterministicRandom random)
    {
        var all = Enumerable.Range(0, TenantTopics).ToArray();
        return random.NextDouble() < 0.5
            ? Prompt(random, all) + ". Think step by step and explain your reasoning before the final answer."
            : "Let's think carefully. " + Prompt(random, all) + "? Show your work.";
    }

    /// <summary><paramref name="count"/> clients' vector streams, client i's made from seed <paramref name="firstSeed"/> + i.</summary>
    public static List<IReadOnlyList<float[]>> Streams(int count, int firstSeed, Func<ulong, List<float[]>> stream) =>
        [.. Enumerable.Range(firstSeed, count).Select(seed => (IReadOnlyList<float[]>)stream((ulong)seed))];

    public static float[] Embed(string text) => Embedder.Embed(text);

    public static List<float[]> Embed(IEnumerable<string> texts) => texts.Select(Embed).ToList();

    public static int[] PickTopics(DeterministicRandom random, int count)
    {
        var chosen = new List<int>();
        while (chosen.Count < count)
        {
            var topic = random.NextInt(TenantTopics);
            if (!chosen.Contains(topic))
            {
                chosen.Add(topic);
            }
        }

        return [.. chosen];
    }

    /// <summary>Unit vectors around 1–3 of the tenant's <paramref name="centers"/> (spread per coordinate).</summary>
    public static List<float[]> ClusterClient(ulong seed, float[][] centers, int count, double spread)
    {
        var random = new DeterministicRandom(seed);
        var mine = Enumerable.Range(0, 1 + random.NextInt(3)).Select(_ => centers[random.NextInt(centers.Length)]).ToArray();
        return Enumerable.Range(0, count).Select(_ => TestSupport.Vectors.Around(random, mine[random.NextInt(mine.Length)], spread)).ToList();
    }

    public static float[][] Centers(ulong seed, int count, int dimensions)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, count).Select(_ => TestSupport.Vectors.RandomUnit(random, dimensions)).ToArray();
    }

    /// <summary>Uniform on the sphere: an attacker sweeping the space.</summary>
    public static List<float[]> UniformClient(ulong seed, int dimensions, int count)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, count).Select(_ => TestSupport.Vectors.RandomUnit(random, dimensions)).ToList();
    }

    /// <summary>
    /// Papernot's Jacobian-based augmentation as PRADA's attacks run it: <paramref name="seeds"/> natural queries (a
    /// benign client's), then rounds in which every query so far is sent again moved by a signed step of
    /// <paramref name="step"/> per coordinate (λ·sign(∇), with random signs standing in for the gradient).
    /// </summary>
    public static List<float[]> JbdaClient(ulong seed, float[][] centers, int count, int seeds, float step)
    {
        var vectors = ClusterClient(seed, centers, seeds, 0.06);
        var random = new DeterministicRandom(seed ^ 0x5EED);
        while (vectors.Count < count)
        {
            var round = vectors.Count;
            for (var i = 0; i < round && vectors.Count < count; i++)
            {
                vectors.Add(TestSupport.Vectors.Normalize(vectors[i].Select(x => x + (random.NextDouble() < 0.5 ? -step : step)).ToArray()));
            }
        }

        return vectors;
    }

    /// <summary>A request as the harvesting detector sees it.</summary>
    public sealed record Request(string Prompt, int? MaxTokens, double? Temperature, DateTimeOffset At);

    public static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    /// <summary>
    /// <paramref name="count"/> requests of a persona: the prompt, max_tokens, temperature and the gap to the previous
    /// request in seconds come from <paramref name="next"/>.
    /// </summary>
    public static List<Request> Persona(ulong seed, int count, Func<DeterministicRandom, int[], (string Prompt, int? MaxTokens, double? Temperature, double GapSeconds)> next)
    {
        var random = new DeterministicRandom(seed);
        var topics = PickTopics(random, 2);
        var at = Start.AddSeconds(random.NextInt(3600));
        var requests = new List<Request>(count);
        for (var i = 0; i < count; i++)
        {
            var (prompt, maxTokens, temperature, gap) = next(random, topics);
            at = at.AddSeconds(gap);
            requests.Add(new Request(prompt, maxTokens, temperature, at));
        }

        return requests;
    }

    /// <summary>A chat user: 20–120 s between prompts, max_tokens 4096 or unset, temperature 1, 0.7 or unset, 3% "step by step".</summary>
    public static (string, int?, double?, double) Chat(DeterministicRandom random, int[] topics) =>
        (Prompt(random, topics) + (random.NextDouble() < 0.03 ? " explain step by step" : string.Empty),
         random.NextDouble() < 0.5 ? 4096 : null,
         random.NextDouble() < 0.5 ? 1.0 : random.NextDouble() < 0.5 ? 0.7 : null,
         20 + (random.NextDouble() * 100));

    /// <summary>A scripted chat client: the chat persona every 2–6 s.</summary>
    public static (string, int?, double?, double) ChatBot(DeterministicRandom random, int[] topics)
    {
        var (prompt, maxTokens, temperature, _) = Chat(random, topics);
        return (prompt, maxTokens, temperature, 2 + (random.NextDouble() * 4));
    }

    /// <summary>A RAG app: its template, max_tokens 512, temperature 0.2, every 3 s.</summary>
    public static (string, int?, double?, double) Rag(DeterministicRandom random, int[] topics) => (RagPrompt(random, topics), 512, 0.2, 3);

    /// <summary>A classifier app using its template: max_tokens 1, temperature 0, every 2 s.</summary>
    public static (string, int?, double?, double) Classifier(DeterministicRandom random, int[] topics) => (ClassifierPrompt(random, topics), 1, 0.0, 2);

    /// <summary>Alpaca-style self-instruct: the harvest template, max_tokens 3072, temperature 1, one a second.</summary>
    public static (string, int?, double?, double) Alpaca(DeterministicRandom random, int[] topics) => (HarvestPrompt(random), 3072, 1.0, 1);

    /// <summary>Chain-of-thought distillation: reasoning prompts, max_tokens 2048, temperature 0.7, every 3 s.</summary>
    public static (string, int?, double?, double) Distiller(DeterministicRandom random, int[] topics) => (ReasoningPrompt(random), 2048, 0.7, 3);

    private static void Fill(DeterministicRandom random, string pattern, IReadOnlyList<int> topics, List<string> words)
    {
        foreach (var token in pattern.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            words.Add(token switch
            {
                "{t}" => Word(random, Topics[topics[random.NextInt(topics.Count)]]),
                "{v}" => Word(random, Verbs),
                "{vs}" => Word(random, Verbs) + "s",
                "{a}" => Word(random, Adjectives),
                "{g}" => Word(random, Glue),
                _ => token.Replace("{v}", Word(random, Verbs), StringComparison.Ordinal),
            });
        }
    }

    private static string ChangeOneWord(DeterministicRandom random, string prompt, IReadOnlyList<int> topics)
    {
        var words = prompt.Split(' ');
        words[random.NextInt(words.Length)] = Word(random, Topics[topics[random.NextInt(topics.Count)]]);
        return string.Join(' ', words);
    }

    private static string Word(DeterministicRandom random, string[] words) => words[random.NextInt(words.Length)];
}
