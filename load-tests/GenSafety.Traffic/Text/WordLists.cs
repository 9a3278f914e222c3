namespace GenSafety.Traffic.Text;

/// <summary>
/// The small word lists every generated prompt is built from. Shipped in code (no downloads, no corpora), so a
/// seed fixes every prompt.
/// </summary>
public static class WordLists
{
    /// <summary>Subject areas benign users ask about.</summary>
    public static IReadOnlyList<Topic> Topics { get; } =
    [
        new("cooking", ["risotto", "sourdough bread", "a curry", "pancakes", "a stew", "pasta sauce", "roast chicken", "dumplings", "a salad dressing", "tofu", "brown rice", "pie crust", "lentil soup", "a marinade"], ["cook", "bake", "season", "store", "reheat", "prepare"]),
        new("travel", ["a train pass", "a visa", "travel insurance", "a hostel", "a layover", "carry-on luggage", "a road trip", "jet lag", "a city break", "a ferry", "hiking boots", "a rental car", "a museum pass", "a night train"], ["book", "plan", "pack", "cancel", "choose", "budget for"]),
        new("programming", ["a hash map", "a unit test", "a race condition", "a REST API", "a memory leak", "a regular expression", "a binary search", "a database index", "a Docker image", "a null pointer", "an async method", "a git rebase", "a linked list", "a JSON parser"], ["debug", "write", "optimize", "refactor", "test", "explain"]),
        new("gardening", ["tomato plants", "compost", "a raised bed", "aphids", "seedlings", "mulch", "a lemon tree", "roses", "potting soil", "basil", "a lawn", "tulip bulbs", "fruit trees", "houseplants"], ["grow", "prune", "water", "repot", "fertilize", "protect"]),
        new("personal finance", ["an emergency fund", "a credit score", "an index fund", "a mortgage", "a monthly budget", "student loans", "a retirement account", "credit card debt", "a savings goal", "tax returns", "a car loan", "insurance premiums", "a pension", "an allowance"], ["build", "pay off", "compare", "track", "reduce", "plan"]),
        new("fitness", ["a running plan", "push-ups", "a stretching routine", "a protein intake", "a rest day", "squats", "a 5k race", "sore muscles", "a warm-up", "interval training", "a yoga class", "a swimming stroke", "a step count", "a kettlebell"], ["start", "improve", "schedule", "recover from", "train for", "measure"]),
        new("history", ["the Roman Empire", "the printing press", "the Silk Road", "the French Revolution", "ancient Egypt", "the Industrial Revolution", "the Renaissance", "the Cold War", "medieval castles", "the Ottoman Empire", "the Viking age", "the Ming dynasty", "the Bronze Age", "the moon landing"], ["explain", "summarize", "compare", "describe", "date", "research"]),
        new("music", ["a guitar chord", "a piano scale", "a drum pattern", "music theory", "a chord progression", "sheet music", "a home studio", "a ukulele", "a choir part", "a metronome", "a violin bow", "a song structure", "a minor key", "a synthesizer"], ["learn", "practice", "tune", "record", "compose", "play"]),
        new("astronomy", ["a telescope", "the Andromeda galaxy", "a lunar eclipse", "Saturn's rings", "a meteor shower", "a black hole", "the Milky Way", "a red dwarf", "light pollution", "a comet", "the International Space Station", "exoplanets", "a star chart", "a supernova"], ["observe", "photograph", "find", "explain", "track", "understand"]),
        new("pets", ["a puppy", "a cat's litter box", "a goldfish tank", "a rabbit", "dog food", "a vet visit", "flea treatment", "a parrot", "a hamster cage", "leash training", "a senior dog", "cat scratching", "a new kitten", "pet insurance"], ["train", "feed", "groom", "care for", "introduce", "choose"]),
        new("home repair", ["a leaky faucet", "a squeaky door", "drywall", "a clogged drain", "a light switch", "grout", "a window seal", "a deck", "a paint job", "a running toilet", "a cracked tile", "a fence post", "a thermostat", "a ceiling fan"], ["fix", "replace", "install", "seal", "paint", "inspect"]),
        new("writing", ["a cover letter", "a short story", "a wedding toast", "an essay outline", "a thank-you note", "a blog post", "a product description", "a poem", "a resignation letter", "meeting notes", "a book review", "a speech", "a newsletter", "a haiku"], ["write", "edit", "shorten", "proofread", "structure", "polish"]),
    ];

    /// <summary>Adjectives that fit most nouns above.</summary>
    public static IReadOnlyList<string> Adjectives { get; } =
    [
        "simple", "cheap", "quick", "healthy", "reliable", "safe", "beginner-friendly", "modern", "traditional", "small",
        "efficient", "quiet", "durable", "easy", "classic", "popular", "affordable", "better", "common", "practical",
    ];

    /// <summary>Openers of first chat turns; {noun}, {noun2}, {verb}, {adj}, {topic}, {number} are filled in.</summary>
    public static IReadOnlyList<string> ChatOpeners { get; } =
    [
        "How do I {verb} {noun}?",
        "What's the best way to {verb} {noun}?",
        "Can you explain {noun} in simple terms?",
        "What is the difference between {noun} and {noun2}?",
        "Give me {number} tips to {verb} {noun}.",
        "I'm new to {topic}. Where should I start?",
        "Is it worth it to {verb} {noun}?",
        "Why does {noun} matter so much in {topic}?",
        "What are common mistakes when people {verb} {noun}?",
        "Write a short checklist to {verb} {noun}.",
        "My friend says {noun} is overrated. Is that true?",
        "How long does it take to {verb} {noun}?",
        "What should I know before I {verb} {noun}?",
        "Recommend a {adj} way to {verb} {noun}.",
        "Help me {verb} {noun}, I only have {number} hours.",
        "Explain {noun} like I'm ten years old.",
        "Compare {noun} and {noun2} for someone on a budget.",
        "What tools do I need to {verb} {noun}?",
    ];

    /// <summary>Follow-up turns in a conversation.</summary>
    public static IReadOnlyList<string> ChatFollowUps { get; } =
    [
        "Can you give an example?",
        "What about {noun2}?",
        "Make that shorter please.",
        "Thanks! And how do I {verb} {noun2}?",
        "Why is that?",
        "Could you put that in a table?",
        "I tried that and it didn't work. Any other ideas?",
        "Is there a {adj} alternative?",
        "Ok, and what if I only have {number} days?",
        "Can you explain the second point again?",
    ];

    /// <summary>Questions users of the RAG app ask about the knowledge base's subjects.</summary>
    public static IReadOnlyList<string> SupportQuestions { get; } =
    [
        "Is {noun} covered if it happens {adj} and without warning?",
        "How do I file a claim for {noun}?",
        "What is the deductible for {noun}?",
        "Does my plan include {noun} when I travel?",
        "How long does a claim for {noun} take?",
        "Can I add {noun} to my policy mid-year?",
        "Who do I call about {noun}?",
        "What documents do I need for {noun}?",
    ];

    /// <summary>Subjects of the RAG app's insurance knowledge base.</summary>
    public static IReadOnlyList<string> PolicySubjects { get; } =
    [
        "water damage", "a broken window", "storm damage", "theft of a bicycle", "a burst pipe", "roof repair",
        "fire damage", "a lost suitcase", "a stolen laptop", "hail damage", "a fallen tree", "mold removal",
        "an electrical fault", "a flooded basement", "a cracked windshield", "temporary housing",
    ];

    /// <summary>Words that divergence prompts ask to repeat (Nasr et al. 2023 used "poem", "company", "book").</summary>
    public static IReadOnlyList<string> RepeatWords { get; } =
    [
        "poem", "company", "book", "word", "make", "send", "know", "part", "life", "house", "time", "world", "water", "light",
    ];

    /// <summary>Every noun and verb word of <see cref="Topics"/>, split into single words, plus the adjectives, without duplicates.</summary>
    public static IReadOnlyList<string> Vocabulary { get; } = BuildVocabulary();

    private static string[] BuildVocabulary()
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var topic in Topics)
        {
            foreach (var phrase in topic.Nouns.Concat(topic.Verbs).Append(topic.Name))
            {
                foreach (var word in phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var clean = word.Trim('\'', '.', ',');
                    if (clean.Length > 1 && clean.All(char.IsAsciiLetterLower))
                    {
                        words.Add(clean);
                    }
                }
            }
        }

        words.UnionWith(Adjectives.Where(a => a.All(char.IsAsciiLetterLower)));
        words.UnionWith(RepeatWords);
        return [.. words];
    }
}
