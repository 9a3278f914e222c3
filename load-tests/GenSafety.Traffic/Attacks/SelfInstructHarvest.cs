using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Attacks;

/// <summary>
/// A3, self-instruct harvesting as Stanford Alpaca ran it against text-davinci-003: a long fixed template asking
/// for 20 diverse task instructions, three seed tasks sampled into it, temperature 1, top_p 1, a high
/// <c>max_tokens</c> and the stop sequences <c>"\n20"</c>, <c>"20."</c>. New instructions parsed from each answer
/// are kept unless ROUGE-L > 0.7 against one already kept, and each is then sent on its own to harvest an answer
/// (the distillation pair), with a reasoning-elicitation suffix. Each key keeps its own instruction pool.
/// </summary>
public sealed class SelfInstructHarvest : IAttack
{
    /// <summary>The templates (the first is the plain variant); <c>{tasks}</c> becomes the numbered seed tasks.</summary>
    public static readonly IReadOnlyList<string> Templates =
    [
        """
        You are asked to come up with a set of 20 diverse task instructions. These task instructions will be given to a
        language model and we will evaluate the language model for completing the instructions.

        Here are the requirements:
        1. Try not to repeat the verb for each instruction to maximize diversity.
        2. The language used for the instruction also should be diverse. For example, you should combine questions with
           imperative instructions.
        3. The type of instructions should be diverse. The list should include diverse types of tasks like open-ended
           generation, classification, editing, rewriting, brainstorming, extraction, summarization and math.
        4. A language model should be able to complete the instruction. Do not ask the assistant to create any visual
           or audio output, to wake you up at a time, or to perform any action in the physical world.
        5. The instructions should be in English.
        6. The instructions should be 1 to 2 sentences long. Either an imperative sentence or a question is permitted.
        7. You should generate an appropriate input to the instruction. The input field should contain a specific
           example provided for the instruction. It should involve realistic data and should not contain simple
           placeholders. The input should provide substantial content to make the instruction challenging but should
           ideally not exceed 100 words.
        8. Not all instructions require input. For example, when an instruction asks about some general information,
           "what is the highest peak in the world", it is not necessary to provide a specific context. In this case, we
           simply put "<noinput>" in the input field.
        9. The output should be an appropriate response to the instruction and the input. Make sure the output is less
           than 100 words.

        List of 20 tasks:
        {tasks}
        """,
        """
        Please brainstorm 20 varied instructions for an AI assistant, each with an example input and a good answer. We
        will use them to test how well an assistant follows instructions, so variety matters more than difficulty.

        Guidelines:
        - Avoid starting two instructions with the same verb; mix questions and commands.
        - Cover many kinds of work: writing, classification, rewriting, extraction, summaries, arithmetic, advice.
        - Every task must be doable in text alone: nothing visual, no audio, nothing in the physical world.
        - Keep each instruction to one or two sentences, in English.
        - Give a concrete, realistic input of at most 100 words, or "<noinput>" when none is needed.
        - Keep every answer under 100 words and make sure it actually solves the task.

        Tasks:
        {tasks}
        """,
        """
        We are building a benchmark of everyday assistant tasks and need 20 new ones. Write each as an instruction, an
        input (or "<noinput>") and an output. Make the tasks as different from each other as you can: some should be
        questions, some commands; some creative, some factual, some about editing text, some about numbers. Inputs
        must be specific and realistic, never placeholders, and short (under 100 words). Outputs must be correct and
        brief. Do not propose tasks that need images, sound, the internet or actions in the real world. Here are the
        first few tasks; continue the numbered list until you reach 20.

        {tasks}
        """,
    ];

    private static readonly string[] ReasoningSuffixes =
    [
        "\n\nThink step by step and explain your reasoning before giving the final answer.",
        "\n\nLet's work through this carefully, showing every step of your reasoning.",
        "\n\nFirst write out your full chain of thought, then the answer.",
    ];

    private const double MaxSimilarity = 0.7;

    // The template lists 3 seed tasks and asks for 20: at most 17 new ones per answer.
    private const int MaxNewPerGeneration = 17;
    private const int EndOfText = 100257;

    private readonly AttackSetup _setup;
    private readonly KeyState[] _keys;
    private readonly QueryCounter _counter = new();
    private readonly Lock _lock = new();
    private int _generations;
    private int _answers;
    private int _kept;
    private int _dropped;
    private long _harvestedTokens;

    /// <summary>An attacker with <see cref="AttackSetup.Sybils"/> keys.</summary>
    public SelfInstructHarvest(AttackSetup setup)
    {
        _setup = setup;
        _keys = [.. setup.KeyStreams("key").Select(r => new KeyState(r))];
    }

    /// <inheritdoc />
    public string Family => AttackFamilies.SelfInstruct;

    /// <inheritdoc />
    public TrafficRequest? NextFor(int sybil)
    {
        var key = _keys[sybil];
        lock (_lock)
        {
            if (key.Pending.TryDequeue(out var instruction))
            {
                var suffix = _setup.VariedWording ? key.Random.Pick(ReasoningSuffixes) : ReasoningSuffixes[0];
                return TrafficRequest.UserChat("a3-answer", instruction + suffix, Sampling(_setup.Options.A3AnswerMaxTokens), "answer");
            }

            var template = _setup.VariedWording ? key.Random.Pick(Templates) : Templates[0];
            var parameters = Sampling(_setup.Options.A3MaxTokens);
            parameters["stop"] = new JsonArray("\n20", "20.");
            return TrafficRequest.UserChat("a3-generate", template.Replace("{tasks}", SeedBlock(key.Random), StringComparison.Ordinal), parameters, "generate");
        }
    }

    /// <inheritdoc />
    public void Observe(int sybil, TrafficRequest request, TrafficResponse response)
    {
        if (!_counter.Count(response))
        {
            return;
        }

        lock (_lock)
        {
            _harvestedTokens += response.CompletionTokens;
            if (request.Tag is "answer")
            {
                _answers++;
                return;
            }

            _generations++;
            var key = _keys[sybil];
            var added = 0;
            foreach (var candidate in ParseInstructions(response.Content ?? string.Empty))
            {
                if (added == MaxNewPerGeneration)
                {
                    break;
                }

                if (key.Kept.Exists(k => RougeL.F1(candidate, k) > MaxSimilarity))
                {
                    _dropped++;
                    continue;
                }

                key.Kept.Add(candidate);
                key.Pending.Enqueue(candidate);
                _kept++;
                added++;
            }
        }
    }

    /// <inheritdoc />
    public AttackReport Report()
    {
        lock (_lock)
        {
            return _counter.Stamp(Family, new HarvestReport
            {
                GenerationRequests = _generations,
                AnswerRequests = _answers,
                InstructionsKept = _kept,
                InstructionsDropped = _dropped,
                HarvestedCompletionTokens = _harvestedTokens,
            });
        }
    }

    /// <summary>
    /// Candidate instructions in a generated answer: each line or sentence, numbering and "Instruction:" labels
    /// removed, kept when it has 3 to 40 words. (A real model numbers its list; a weaker one rambles, and the
    /// harvester keeps whatever reads like a task.)
    /// </summary>
    public static List<string> ParseInstructions(string text)
    {
        var result = new List<string>();
        foreach (var raw in text.Split(['\n', '.', '?', '!'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var line = raw.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', ')', ' ', '-');
            foreach (var label in (string[])["Instruction:", "Input:", "Output:"])
            {
                if (line.StartsWith(label, StringComparison.OrdinalIgnoreCase))
                {
                    line = line[label.Length..].Trim();
                }
            }

            var words = RougeL.Words(line).Length;
            if (words is >= 3 and <= 40 && !line.Contains("<noinput>", StringComparison.Ordinal))
            {
                result.Add(line);
            }
        }

        return result;
    }

    private JsonObject Sampling(int maxTokens)
    {
        var parameters = new JsonObject { ["temperature"] = 1.0, ["top_p"] = 1.0, ["max_tokens"] = maxTokens };
        if (_setup.Options.A3BanEndOfText)
        {
            parameters["logit_bias"] = TrafficRequest.LogitBias([KeyValuePair.Create(EndOfText, -100.0)]);
        }

        return parameters;
    }

    private static string SeedBlock(SeededRandom random)
    {
        var text = new StringBuilder();
        var number = 1;
        foreach (var task in random.Sample(SeedTasks.All, 3))
        {
            var n = number++.ToString(CultureInfo.InvariantCulture);
            text.Append(n).Append(". Instruction: ").AppendLine(task.Instruction)
                .Append(n).Append(". Input:\n").AppendLine(task.Input.Length == 0 ? "<noinput>" : task.Input)
                .Append(n).Append(". Output:\n").AppendLine(task.Output).AppendLine("###");
        }

        return text.Append(number.ToString(CultureInfo.InvariantCulture)).Append(". Instruction:").ToString();
    }

    private sealed class KeyState(SeededRandom random)
    {
        public SeededRandom Random { get; } = random;

        public List<string> Kept { get; } = [];

        public Queue<string> Pending { get; } = new();
    }
}

/// <summary>What self-instruct harvesting (A3) collected.</summary>
public sealed record HarvestReport : AttackReport
{
    /// <summary>Template requests answered.</summary>
    public required int GenerationRequests { get; init; }

    /// <summary>Instruction requests answered (harvested pairs).</summary>
    public required int AnswerRequests { get; init; }

    /// <summary>New instructions kept.</summary>
    public required int InstructionsKept { get; init; }

    /// <summary>Instructions dropped as near-duplicates (ROUGE-L > 0.7).</summary>
    public required int InstructionsDropped { get; init; }

    /// <summary>Completion tokens received.</summary>
    public required long HarvestedCompletionTokens { get; init; }
}
