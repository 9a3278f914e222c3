using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Attacks;

/// <summary>What an attack is built from.</summary>
/// <param name="Sybils">Keys the attack is split over.</param>
/// <param name="AttackQueries">Attack requests the keys will send in total (cover traffic excluded): plans are sized from it.</param>
/// <param name="VariedWording">The adaptive variant that varies wording and parameters from request to request.</param>
/// <param name="Random">The attack's own random stream.</param>
/// <param name="Options">Per-family parameters.</param>
public sealed record AttackSetup(int Sybils, int AttackQueries, bool VariedWording, SeededRandom Random, AttackOptions Options)
{
    /// <summary>One independent stream per key, named <paramref name="purpose"/>.</summary>
    public SeededRandom[] KeyStreams(string purpose) => [.. Enumerable.Range(0, Sybils).Select(s => Random.Fork(purpose, s))];
}

/// <summary>Per-family attack parameters (CLI: <c>--a1-tokens</c> and so on).</summary>
public sealed record AttackOptions
{
    /// <summary>A1: tokens swept per prompt, the reference included (default 134 = 1 + 7 × 19: seven queries per prompt).</summary>
    public int A1Tokens { get; init; } = 134;

    /// <summary>A1: prompts (rows); null sizes them from the budget.</summary>
    public int? A1Prompts { get; init; }

    /// <summary>A1: bias added to each swept token (the API maximum, 100). With varied wording, each token gets a random bias in [40, this].</summary>
    public double A1Bias { get; init; } = 100;

    /// <summary>A1: <c>top_logprobs</c> asked for (the API maximum, 20): one reference token and 19 new tokens a query.</summary>
    public int A1TopLogprobs { get; init; } = 20;

    /// <summary>A2: tokens per prompt, the reference included.</summary>
    public int A2Tokens { get; init; } = 24;

    /// <summary>A2: prompts; null sizes them from the budget.</summary>
    public int? A2Prompts { get; init; }

    /// <summary>A2: largest bias tried (the API maximum).</summary>
    public double A2MaxBias { get; init; } = 100;

    /// <summary>A2: width at which a bisection stops (log2(100 / 10⁻⁴) ≈ 20 steps a cell).</summary>
    public double A2Precision { get; init; } = 1e-4;

    /// <summary>A3: <c>max_tokens</c> of the instruction-generation request (Alpaca used 3072).</summary>
    public int A3MaxTokens { get; init; } = 3072;

    /// <summary>A3: <c>max_tokens</c> of the answer requests.</summary>
    public int A3AnswerMaxTokens { get; init; } = 1024;

    /// <summary>A3: ban end-of-text with <c>logit_bias</c> −100, as Alpaca did (every answer then runs to <c>max_tokens</c>).</summary>
    public bool A3BanEndOfText { get; init; }

    /// <summary>A4: texts per embeddings request.</summary>
    public int A4BatchSize { get; init; } = 8;

    /// <summary>A4: held-out texts the surrogate is scored on.</summary>
    public int A4HeldOut { get; init; } = 200;

    /// <summary>A4: hashed character n-gram features of the attacker's surrogate.</summary>
    public int A4Features { get; init; } = 1024;

    /// <summary>A5: <c>max_tokens</c> of the repeat-forever prompts.</summary>
    public int A5MaxTokens { get; init; } = 1024;
}
