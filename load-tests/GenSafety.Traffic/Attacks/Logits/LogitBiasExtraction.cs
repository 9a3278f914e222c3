using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;

namespace GenSafety.Traffic.Attacks.Logits;

/// <summary>
/// A1, the logit_bias + top_logprobs attack of Carlini et al. (2024, §4–5): for each prompt, sweep the vocabulary in
/// groups, biasing a reference token and 19 other tokens by +100 so that all 20 come back in <c>top_logprobs</c>.
/// Tokens with the same bias keep their logit differences, so (logprob_t − bias_t) − (logprob_ref − bias_ref) =
/// z_t − z_ref exactly. Rows from more prompts than the hidden size d span a d-dimensional space, and the SVD of the
/// prompt × token matrix shows d as the cliff in its singular values. The hidden size needs only more tokens than
/// d, not the whole vocabulary (the full vocabulary is what recovering W itself would take).
/// </summary>
public sealed class LogitBiasExtraction : LogitExtractionAttack
{
    private const double MinVariedBias = 40;

    private readonly List<int[]> _groups = [];
    private readonly Queue<(int Row, int Group)>[] _queues;

    /// <summary>Plans the sweep: tokens, groups, prompts, and which key sends which (prompt, group).</summary>
    public LogitBiasExtraction(AttackSetup setup)
        : base(setup, setup.Options.A1Tokens, tokens => setup.Options.A1Prompts ?? Math.Max(1, setup.AttackQueries / Groups(tokens, setup.Options)))
    {
        var perGroup = PerGroup(setup.Options);
        for (var start = 1; start < Tokens.Count; start += perGroup)
        {
            _groups.Add([.. Enumerable.Range(start, Math.Min(perGroup, Tokens.Count - start))]);
        }

        _queues = [.. Enumerable.Range(0, setup.Sybils).Select(_ => new Queue<(int, int)>())];
        var item = 0;
        for (var row = 0; row < Prompts.Count; row++)
        {
            for (var group = 0; group < _groups.Count; group++)
            {
                _queues[item++ % setup.Sybils].Enqueue((row, group));
            }
        }
    }

    /// <inheritdoc />
    public override string Family => AttackFamilies.LogitBias;

    /// <inheritdoc />
    public override TrafficRequest? NextFor(int sybil)
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

        var random = Wording[sybil];
        var biases = new Dictionary<int, double>();
        foreach (var column in _groups[item.Group].Prepend(0))
        {
            biases[column] = Setup.VariedWording ? Math.Round(random.Uniform(MinVariedBias, Setup.Options.A1Bias), 1) : Setup.Options.A1Bias;
        }

        var parameters = new JsonObject
        {
            ["max_tokens"] = Setup.VariedWording ? random.Next(1, 4) : 1,
            ["temperature"] = Setup.VariedWording ? random.Pick(Temperatures) : 0,
            ["logprobs"] = true,
            ["top_logprobs"] = Setup.Options.A1TopLogprobs,
            ["logit_bias"] = TrafficRequest.LogitBias(biases.Select(b => KeyValuePair.Create(Tokens[b.Key].Id, b.Value))),
        };
        return TrafficRequest.UserChat("a1-sweep", Prompts[item.Row], parameters, new Probe(item.Row, biases));
    }

    /// <inheritdoc />
    public override void Observe(int sybil, TrafficRequest request, TrafficResponse response)
    {
        if (!Counter.Count(response) || request.Tag is not Probe probe)
        {
            return;
        }

        // Map returned token texts back to the biased columns; the reference fixes the row's constant.
        var values = new Dictionary<int, double>();
        foreach (var (column, bias) in probe.Biases)
        {
            foreach (var top in response.TopLogprobs)
            {
                if (top.Token == Tokens[column].Text && top.Logprob > -9000)
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
            Matrix.Set(probe.Row, column, value - reference);
        }
    }

    // One reference token and top_logprobs − 1 new tokens per query.
    private static int PerGroup(AttackOptions options) => Math.Max(1, options.A1TopLogprobs - 1);

    private static int Groups(int tokens, AttackOptions options) => Math.Max(1, (tokens - 1 + PerGroup(options) - 1) / PerGroup(options));

    private static readonly double[] Temperatures = [0, 0.5, 1];

    /// <summary>Which prompt a query swept, and the bias of each column in it.</summary>
    private sealed record Probe(int Row, Dictionary<int, double> Biases);
}
