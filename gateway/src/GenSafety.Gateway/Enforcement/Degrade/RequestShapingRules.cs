using GenSafety.Gateway.Detection.ApiSurface;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>What <see cref="DegradeRequestShaper"/> applies to one request.</summary>
/// <param name="Degrade">The L2 caps, or <see langword="null"/> when the client is not degraded.</param>
/// <param name="DropTopLogprobsWithLogitBias">
/// <see cref="ApiSurfaceShapingOptions.DropTopLogprobsWithLogitBias"/>: drop the top-logprob alternatives of a request
/// that carries <c>logit_bias</c> (moot when degrading, which removes or refuses the bias itself).
/// </param>
public sealed record RequestShapingRules(DegradeOptions? Degrade, bool DropTopLogprobsWithLogitBias)
{
    /// <summary>
    /// <see cref="ApiSurfaceShapingOptions.PreBiasLogprobsField"/>: the upstream flag added (with
    /// <see cref="PreBiasLogprobsValue"/>) to an undegraded request that carries both <c>logit_bias</c> and logprobs;
    /// null when not configured.
    /// </summary>
    public string? PreBiasLogprobsField { get; init; }

    /// <summary>The flag's value as raw JSON (<see cref="ApiSurfaceShapingOptions.PreBiasLogprobsValue"/>).</summary>
    public byte[] PreBiasLogprobsValue { get; init; } = "true"u8.ToArray();
}
