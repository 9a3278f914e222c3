using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Attacks.Logits;

/// <summary>
/// A1, the logit_bias + top_logprobs attack of Carlini et al. (2024, §4–5): for each prompt, sweep the vocabulary in
/// groups, biasing a reference token and 19 other tokens by +100 so that all 20 come back in <c>top_logprobs</c>.
/// Tokens with the same bias keep their logit differences, so (logprob_t − bias_t) − (logprob_ref − bias_ref) =
/// z_t − z_ref exactly. Rows from more prompts than the hidden size d span a d-dimensional space, and the SVD of the
/// prompt × token matrix shows d as the cliff in its singular values. The hidden size needs only more tokens than
/// d, not the whole vocabulary (the full vocabulary is what recovering W itself would take).
/// </summary>
public sealed class LogitBiasExtraction : IAttack
{
    private const double MinVariedBias = 40;

    private readonly AttackSetup _setup;
    private readonly List<(int Id, string Text)> _tokens;
    private readonly List<int[]> _groups = [];
    private readonly List<string> _prompts = [];
    private readonly Queue<(int Row, int Group)>[] _queues;
    private readonly SeededRandom[] _wording;
    private readonly LogitMatrix _matrix;
    private readonly QueryCounter _counter = new();

    /// <summary>Plans the sweep: tokens, groups, prompts, and which key sends which (prompt, group).</summary>
    public LogitBiasExtraction(AttackSetup setup)
    {
        _setup = setup;
        var options = setup.Options;
        var random = setup.Random.Fork("plan");
        var vocabulary = WordLists.Vocabulary.ToList();
        random.Shuffle(vocabulary);
        // " the" first: the reference must be a token every prompt can produce.
        _tokens = [.. TokenIds.SpacedWords(["the", .. vocabulary]).Take(options.A1Tokens)];
        var perGroup = Math.Max(1, options.A1TopLogprobs - 1);
        for (var start = 1; start < _tokens.Count; start += perGroup)
        {
            _groups.Add([.. Enumerable.Range(start, Math.Min(perGroup, _tokens.Count - start))]);
        }

        var prompts = options.A1Prompts ?? Math.Max(1, setup.AttackQueries / Math.Max(1, _groups.Count));
        var words = setup.Random.Fork("prompts");
        for (var p = 0; p < prompts; p++)
        {
            _prompts.Add(PromptFactory.WordSequence(words, words.Next(4, 9)));
        }

        _queues = [.. Enumerable.Range(0, setup.Sybils).Select(_ => new Queue<(int, int)>())];
        var item = 0;
        for (var row = 0; row < _prompts.Count; row++)
        {
            for (var group = 0; group < _groups.Count; group++)
            {
                _queues[item++ % setup.Sybils].Enqueue((row, group));
            }
        }

        _wording = [.. Enumerable.Range(0, setup.Sybils).Select(s => setup.Random.Fork("wording", s))];
        _matrix = new LogitMatrix(_prompts.Count, _tokens.Count);
    }

    /// <inheritdoc />
    public string Family => AttackFamilies.LogitBias;

    /// <summary>What has been learnt.</summary>
    public LogitMatrix Matrix => _matrix;

    /// <inheritdoc />
    public TrafficRequest? NextFor(int sybil)
    {
        Queue<(int Row, int Group)> queue;
        (int Row, int Group) item;
        lock (_queues)
        {
            queue = _queues[sybil];
            if (!queue.TryDequeue(out item))
            {
                return null;
            }
        }

        var random = _wording[sybil];
        var biases = new Dictionary<int, double>();
        foreach (var column in _groups[item.Group].Prepend(0))
        {
            biases[column] = _setup.VariedWording ? Math.Round(random.Uniform(MinVariedBias, _setup.Options.A1Bias), 1) : _setup.Options.A1Bias;
        }

        var parameters = new JsonObject
        {
            ["max_tokens"] = _setup.VariedWording ? random.Next(1, 4) : 1,
            ["temperature"] = _setup.VariedWording ? random.Pick(Temperatures) : 0,
            ["logprobs"] = true,
            ["top_logprobs"] = _setup.Options.A1TopLogprobs,
            ["logit_bias"] = TrafficRequest.LogitBias(biases.Select(b => KeyValuePair.Create(_tokens[b.Key].Id, b.Value))),
        };
        return TrafficRequest.UserChat("a1-sweep", _prompts[item.Row], parameters, new Probe(item.Row, biases));
    }

    /// <inheritdoc />
    public void Observe(int sybil, TrafficRequest request, TrafficResponse response)
    {
        if (!_counter.Count(response) || request.Tag is not Probe probe)
        {
            return;
        }

        // Map returned token texts back to the biased columns; the reference fixes the row's constant.
        var values = new Dictionary<int, double>();
        foreach (var (column, bias) in probe.Biases)
        {
            foreach (var top in response.TopLogprobs)
            {
                if (top.Token == _tokens[column].Text && top.Logprob > -9000)
                {
                    values[column] = top.Logprob - bias;
                    break;
                }
            }
        }

        if (!values.TryGetValue(0, out var reference))
        {
            return;
        }

        foreach (var (column, value) in values)
        {
            _matrix.Set(probe.Row, column, value - reference);
        }
    }

    /// <inheritdoc />
    public AttackReport Report() => HiddenSizeReport.From(Family, _counter, _matrix, _prompts.Count);

    private static readonly double[] Temperatures = [0, 0.5, 1];

    /// <summary>Which prompt a query swept, and the bias of each column in it.</summary>
    private sealed record Probe(int Row, Dictionary<int, double> Biases);
}
