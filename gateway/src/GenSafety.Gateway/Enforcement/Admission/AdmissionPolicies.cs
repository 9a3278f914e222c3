using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>Resolves a policy name to its <see cref="PolicyLimits"/>; an unknown name gets the <c>default</c> policy.</summary>
public sealed class AdmissionPolicies
{
    private readonly Dictionary<string, PolicyLimits> _policies;
    private readonly PolicyLimits _default;

    /// <summary>Builds the catalogue from the validated options.</summary>
    public AdmissionPolicies(IOptions<AdmissionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _policies = options.Value.Policies.ToDictionary(p => p.Key, p => PolicyLimits.From(p.Key, p.Value), StringComparer.OrdinalIgnoreCase);
        _default = _policies.GetValueOrDefault(AdmissionOptions.DefaultPolicy) ?? PolicyLimits.Unlimited;
    }

    /// <summary>Names of the configured policies (including <c>default</c> when configured).</summary>
    public IReadOnlyCollection<string> Names => _policies.Keys;

    /// <summary>The limits of <paramref name="policy"/>, or of <c>default</c> when it is null or unknown.</summary>
    public PolicyLimits Resolve(string? policy) =>
        policy is not null && _policies.TryGetValue(policy, out PolicyLimits? limits) ? limits : _default;
}
