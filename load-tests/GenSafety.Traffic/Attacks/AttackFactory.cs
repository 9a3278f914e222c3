using GenSafety.Traffic.Attacks.Encoder;
using GenSafety.Traffic.Attacks.Logits;

namespace GenSafety.Traffic.Attacks;

/// <summary>Creates an attack by family.</summary>
public static class AttackFactory
{
    /// <summary>The attack of <paramref name="family"/> (<see cref="AttackFamilies"/>).</summary>
    public static IAttack Create(string family, AttackSetup setup) => family switch
    {
        AttackFamilies.LogitBias => new LogitBiasExtraction(setup),
        AttackFamilies.Bisection => new BisectionExtraction(setup),
        AttackFamilies.SelfInstruct => new SelfInstructHarvest(setup),
        AttackFamilies.EncoderStealing => new EncoderStealing(setup),
        AttackFamilies.Divergence => new DivergenceExtraction(setup),
        _ => throw new ArgumentException($"Unknown attack family '{family}'.", nameof(family)),
    };
}
