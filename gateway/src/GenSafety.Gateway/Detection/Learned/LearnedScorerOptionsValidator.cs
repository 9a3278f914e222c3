using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>Checks <see cref="LearnedScorerOptions"/> at start-up and reports every problem at once.</summary>
public sealed class LearnedScorerOptionsValidator : IValidateOptions<LearnedScorerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LearnedScorerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        var section = LearnedScorerOptions.SectionName;
        if (!string.IsNullOrWhiteSpace(options.ModelPath) && !File.Exists(options.ModelPath))
        {
            errors.AddError($"{section}:ModelPath: file '{options.ModelPath}' not found.");
        }

        if (!Enum.IsDefined(options.Provider))
        {
            errors.AddError($"{section}:Provider must be auto, cuda or cpu.");
        }

        if (options.CudaDeviceId < 0)
        {
            errors.AddError($"{section}:CudaDeviceId must be 0 or more.");
        }

        if (options.IntraOpNumThreads is < 0 or > 256)
        {
            errors.AddError($"{section}:IntraOpNumThreads must be between 0 and 256.");
        }

        if (options.ReloadInterval < TimeSpan.FromMilliseconds(100) || options.ReloadInterval > TimeSpan.FromHours(1))
        {
            errors.AddError($"{section}:ReloadInterval must be between 00:00:00.1 and 01:00:00.");
        }

        if (options.MaxClients is < 1 or > 10_000_000)
        {
            errors.AddError($"{section}:MaxClients must be between 1 and 10000000.");
        }

        return errors.Build();
    }
}
