using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;

namespace GenSafety.Traffic.Attacks.Logits;

/// <summary>
/// A2, the logprob-free variant (Carlini et al. 2024, §6; the bisection mode of Finlayson's <c>openlogprobs</c>): with
/// greedy one-token answers only, binary-search the smallest bias b* that makes token t the argmax after a prompt.
/// Then b* = z_top − z_t, and b*_ref − b*_t = z_t − z_ref: the same rank-d matrix as A1, at about
/// log2(100 / precision) + 1 queries a cell instead of 1/19. Each (prompt, token) cell is one bisection chain,
/// owned by one key; with varied wording a key runs several chains in turn and splits intervals off-centre, so the
/// same prompt never repeats back to back and the biases do not halve.
/// </summary>
public sealed class BisectionExtraction : LogitExtractionAttack
{
    private const int ActiveChains = 4;
    private const int MaxFailures = 3;

    private readonly Queue<Chain>[] _pending;
    private readonly List<Chain>[] _active;
    private readonly Lock _lock = new();

    /// <summary>Plans the chains and assigns them to keys.</summary>
    public BisectionExtraction(AttackSetup setup)
        : base(setup, setup.Options.A2Tokens, tokens => setup.Options.A2Prompts
            ?? Math.Max(1, (int)Math.Ceiling(setup.AttackQueries / StepsPerCell(setup.Options) / (double)tokens)))
    {
        _pending = [.. Enumerable.Range(0, setup.Sybils).Select(_ => new Queue<Chain>())];
        _active = [.. Enumerable.Range(0, setup.Sybils).Select(_ => new List<Chain>())];
        var index = 0;
        for (var row = 0; row < Prompts.Count; row++)
        {
            for (var column = 0; column < Tokens.Count; column++)
            {
                _pending[index++ % setup.Sybils].Enqueue(new Chain(row, column, setup.Options.A2MaxBias));
            }
        }
    }

    /// <inheritdoc />
    public override string Family => AttackFamilies.Bisection;

    /// <summary>Queries one cell takes: the check at the largest bias, then the bisection.</summary>
    public static int StepsPerCell(AttackOptions options) => 1 + (int)Math.Ceiling(Math.Log2(options.A2MaxBias / options.A2Precision));

    /// <inheritdoc />
    public override TrafficRequest? NextFor(int sybil)
    {
        Chain chain;
        double bias;
        lock (_lock)
        {
            var active = _active[sybil];
            var limit = Setup.VariedWording ? ActiveChains : 1;
            while (active.Count < limit && _pending[sybil].TryDequeue(out var next))
            {
                active.Add(next);
            }

            if (active.Count == 0)
            {
                return null;
            }

            var random = Wording[sybil];
            chain = Setup.VariedWording ? random.Pick(active) : active[0];
            bias = !chain.Checked ? chain.High
                : Setup.VariedWording ? chain.Low + ((chain.High - chain.Low) * random.Uniform(0.3, 0.7))
                : (chain.Low + chain.High) / 2;
        }

        var parameters = new JsonObject
        {
            ["max_tokens"] = 1,
            ["temperature"] = 0,
            ["logit_bias"] = TrafficRequest.LogitBias([KeyValuePair.Create(Tokens[chain.Column].Id, bias)]),
        };
        return TrafficRequest.UserChat("a2-bisect", Prompts[chain.Row], parameters, new Step(chain, bias));
    }

    /// <inheritdoc />
    public override void Observe(int sybil, TrafficRequest request, TrafficResponse response)
    {
        var ok = Counter.Count(response);
        if (request.Tag is not Step step)
        {
            return;
        }

        var chain = step.Chain;
        lock (_lock)
        {
            if (!ok)
            {
                // Refused or failed: retry the same step, and give the cell up after a few failures in a row.
                if (++chain.Failures >= MaxFailures)
                {
                    _active[sybil].Remove(chain);
                }

                return;
            }

            chain.Failures = 0;
            var flipped = response.Content == Tokens[chain.Column].Text;
            if (!chain.Checked)
            {
                chain.Checked = true;
                if (!flipped)
                {
                    _active[sybil].Remove(chain); // even the largest bias does not win: censored
                    return;
                }
            }
            else if (flipped)
            {
                chain.High = step.Bias;
            }
            else
            {
                chain.Low = step.Bias;
            }

            if (chain.High - chain.Low <= Setup.Options.A2Precision)
            {
                // b* = z_top − z_t; store −b* so that the row constant is z_top and the reference removes it.
                Matrix.Set(chain.Row, chain.Column, -(chain.Low + chain.High) / 2);
                _active[sybil].Remove(chain);
            }
        }
    }

    /// <summary>One bisection: the bias interval that still contains b* for a (prompt, token) cell.</summary>
    private sealed class Chain(int row, int column, double high)
    {
        public int Row { get; } = row;

        public int Column { get; } = column;

        public double Low { get; set; }

        public double High { get; set; } = high;

        /// <summary>Whether the largest bias has been tried.</summary>
        public bool Checked { get; set; }

        public int Failures { get; set; }
    }

    private sealed record Step(Chain Chain, double Bias);
}
