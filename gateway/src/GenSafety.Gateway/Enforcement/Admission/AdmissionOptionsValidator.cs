using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>Checks <see cref="AdmissionOptions"/> at start-up and reports every problem at once.</summary>
public sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    private const int MaxReplicaCount = 10_000;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        foreach ((string policy, PolicyOptions limits) in options.Policies)
        {
            string section = $"{AdmissionOptions.PoliciesSection}:{policy}";
            if (!StateIds.IsValid(policy))
            {
                errors.AddError($"{section}: a policy name must be 1 to {StateIds.MaxLength} ASCII letters, digits, '-' or '_'.");
            }

            CheckNonNegative(errors, section, nameof(PolicyOptions.RequestsPerMinute), limits.RequestsPerMinute);
            CheckNonNegative(errors, section, nameof(PolicyOptions.TokensPerMinute), limits.TokensPerMinute);
            CheckNonNegative(errors, section, nameof(PolicyOptions.MaxConcurrentStreams), limits.MaxConcurrentStreams);
            CheckNonNegative(errors, section, nameof(PolicyOptions.DailyTokenQuota), limits.DailyTokenQuota);
            CheckNonNegative(errors, section, nameof(PolicyOptions.DefaultMaxTokens), limits.DefaultMaxTokens);
        }

        if (options.ReplicaCount is < 1 or > MaxReplicaCount)
        {
            errors.AddError($"{AdmissionOptions.ReplicaCountKey} must be between 1 and {MaxReplicaCount}.");
        }

        if (options.StreamSlotTtl < TimeSpan.FromSeconds(1) || options.StreamSlotTtl > TimeSpan.FromDays(1))
        {
            errors.AddError($"{AdmissionOptions.StreamSlotTtlKey} must be between 1 second and 1 day.");
        }

        if (!string.Equals(options.FailureMode, AdmissionOptions.FailOpen, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.FailureMode, AdmissionOptions.FailClosed, StringComparison.OrdinalIgnoreCase))
        {
            errors.AddError($"{AdmissionOptions.FailureModeKey} must be '{AdmissionOptions.FailOpen}' or '{AdmissionOptions.FailClosed}'.");
        }

        return errors.Build();
    }

    private static void CheckNonNegative(ValidateOptionsResultBuilder errors, string section, string key, long? value)
    {
        if (value < 0)
        {
            errors.AddError($"{section}:{key} must not be negative (0 or absent means unlimited).");
        }
    }
}
