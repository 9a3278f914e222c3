using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>Checks <see cref="EnforcementOptions"/> at start-up and reports every problem at once.</summary>
public sealed class EnforcementOptionsValidator : IValidateOptions<EnforcementOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EnforcementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Risk = EnforcementOptions.RiskSection;
        var thresholds = options.Thresholds;
        string[] names = [nameof(options.DelayThreshold), nameof(options.DegradeThreshold), nameof(options.ProofOfWorkThreshold), nameof(options.BlockThreshold)];
        for (var i = 0; i < thresholds.Length; i++)
        {
            if (!(thresholds[i] is > 0 and <= 1))
            {
                errors.AddError($"{Risk}:{names[i]} must be in (0, 1].");
            }
            else if (i > 0 && thresholds[i] <= thresholds[i - 1])
            {
                errors.AddError($"{Risk}:{names[i]} must be greater than {Risk}:{names[i - 1]}.");
            }
        }

        var smallestGap = Math.Min(thresholds[0], Enumerable.Range(1, 3).Min(i => thresholds[i] - thresholds[i - 1]));
        if (!(options.Hysteresis >= 0) || options.Hysteresis >= smallestGap)
        {
            errors.AddError($"{Risk}:Hysteresis must be at least 0 and smaller than the smallest gap between thresholds (and the first threshold).");
        }

        if (options.HalfLife < TimeSpan.Zero || options.HalfLife > TimeSpan.FromDays(365))
        {
            errors.AddError($"{Risk}:HalfLife must be between 0 (no decay) and 365 days.");
        }

        if (options.BlockDuration < TimeSpan.FromSeconds(1) || options.BlockDuration > TimeSpan.FromDays(365))
        {
            errors.AddError($"{Risk}:BlockDuration must be between 1 second and 365 days.");
        }

        if (options.MinDelay < TimeSpan.Zero || options.MaxDelay < options.MinDelay || options.MaxDelay > TimeSpan.FromMinutes(1))
        {
            errors.AddError($"{Risk}:MinDelay and MaxDelay must satisfy 0 <= MinDelay <= MaxDelay <= 1 minute.");
        }

        if (options.StateTtl < TimeSpan.FromMinutes(1))
        {
            errors.AddError($"{Risk}:StateTtl must be at least 1 minute.");
        }

        if (options.AuditMaxLength is < 1 or > 10_000_000)
        {
            errors.AddError($"{Risk}:AuditMaxLength must be between 1 and 10000000.");
        }

        CheckTable(errors, EnforcementOptions.ActionsSection, options.Actions);
        foreach (var (route, table) in options.Routes)
        {
            CheckTable(errors, $"{EnforcementOptions.RoutesSection}:{route}:Actions", table);
        }

        foreach (var (policy, table) in options.Policies)
        {
            CheckTable(errors, $"GenSafety:Policies:{policy}:Actions", table);
        }

        return errors.Build();
    }

    private static void CheckTable(ValidateOptionsResultBuilder errors, string section, Dictionary<string, string> table)
    {
        foreach (var (level, actions) in table)
        {
            if (LevelActions.LevelOf(level) is null)
            {
                errors.AddError($"{section}:{level}: levels are named L0 to L4.");
            }
            else if (LevelActions.Parse(actions) is null)
            {
                errors.AddError($"{section}:{level}: '{actions}' is not a comma-separated list of none, delay, degrade, pow, block.");
            }
        }
    }
}
