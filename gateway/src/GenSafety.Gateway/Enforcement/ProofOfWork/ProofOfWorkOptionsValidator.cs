using GenSafety.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>Checks <see cref="ProofOfWorkOptions"/> at start-up and reports every problem at once.</summary>
public sealed class ProofOfWorkOptionsValidator : IValidateOptions<ProofOfWorkOptions>
{
    /// <summary>Longest accepted <see cref="ProofOfWorkOptions.TokenLifetime"/>.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>Most leading zero bits a challenge may ask for.</summary>
    public const int MaxSupportedBits = 40;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProofOfWorkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = ProofOfWorkOptions.SectionName;

        try
        {
            string? secret = SecretFile.Resolve(options.Secret, options.SecretFile, Section + ":Secret");
            if (secret is not null && secret.Length < ProofOfWorkOptions.MinSecretLength)
            {
                // Never echo the secret, only what is wrong with it. Absent is allowed: one replica, a random key.
                errors.AddError($"{Section}:Secret (or SecretFile) must hold at least {ProofOfWorkOptions.MinSecretLength} characters.");
            }
        }
        catch (InvalidOperationException ex)
        {
            errors.AddError(ex.Message);
        }

        if (options.TokenLifetime <= TimeSpan.Zero || options.TokenLifetime > MaxTokenLifetime)
        {
            errors.AddError($"{Section}:TokenLifetime must be greater than zero and at most {MaxTokenLifetime}.");
        }

        if (options.MinBits < 1 || options.MinBits > MaxSupportedBits)
        {
            errors.AddError($"{Section}:MinBits must be between 1 and {MaxSupportedBits}.");
        }

        if (options.MaxBits < 1 || options.MaxBits > MaxSupportedBits)
        {
            errors.AddError($"{Section}:MaxBits must be between 1 and {MaxSupportedBits}.");
        }

        if (options.MinBits > options.MaxBits)
        {
            errors.AddError($"{Section}:MinBits must not exceed MaxBits.");
        }

        if (options.MinTargetTime <= TimeSpan.Zero || options.MaxTargetTime <= options.MinTargetTime)
        {
            errors.AddError($"{Section}:MinTargetTime must be greater than zero and less than MaxTargetTime.");
        }

        if (options.Calibration.Count > 0 && DifficultyCalibration.CheckPoints([.. options.Calibration]) is { } problem)
        {
            errors.AddError($"{Section}:Calibration {problem}");
        }

        return errors.Build();
    }
}
