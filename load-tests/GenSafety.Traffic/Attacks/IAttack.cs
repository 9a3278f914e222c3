using GenSafety.Traffic.Api;

namespace GenSafety.Traffic.Attacks;

/// <summary>
/// An extraction attack run by one attacker over one or more keys (sybils). The attack decides what each key sends
/// next and learns from every answer; keys only pace it. All of an attack's state lives here, so a campaign split
/// over 100 keys is still one attacker pooling what it learns.
/// </summary>
public interface IAttack
{
    /// <summary>Attack family (<see cref="AttackFamilies"/>).</summary>
    string Family { get; }

    /// <summary>The next attack request for key <paramref name="sybil"/>; null when that key has no work left.</summary>
    TrafficRequest? NextFor(int sybil);

    /// <summary>Learns from the answer to <paramref name="request"/>, sent by key <paramref name="sybil"/>.</summary>
    void Observe(int sybil, TrafficRequest request, TrafficResponse response);

    /// <summary>What the attacker got so far.</summary>
    AttackReport Report();
}

/// <summary>The attack families.</summary>
public static class AttackFamilies
{
    /// <summary>logit_bias + top_logprobs logit extraction (Carlini et al. 2024).</summary>
    public const string LogitBias = "A1";

    /// <summary>Bisection on the bias that flips the argmax, without logprobs.</summary>
    public const string Bisection = "A2";

    /// <summary>Self-instruct (Alpaca-style) harvesting.</summary>
    public const string SelfInstruct = "A3";

    /// <summary>Embedding-encoder stealing with a surrogate.</summary>
    public const string EncoderStealing = "A4";

    /// <summary>Divergence-style training-data extraction.</summary>
    public const string Divergence = "A5";

    /// <summary>All families, in order.</summary>
    public static IReadOnlyList<string> All { get; } = [LogitBias, Bisection, SelfInstruct, EncoderStealing, Divergence];
}
