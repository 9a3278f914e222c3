using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection.Vectors;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Sybil;

/// <summary>Checks <see cref="SybilLinkingOptions"/> at start-up and reports every problem at once.</summary>
public sealed class SybilLinkingOptionsValidator : IValidateOptions<SybilLinkingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SybilLinkingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        Check(options.Interval >= TimeSpan.FromSeconds(1) && options.Interval <= TimeSpan.FromHours(1), "Interval must be between 1 second and 1 hour.");
        Check(options.ActiveWindow >= TimeSpan.FromMinutes(1) && options.ActiveWindow <= TimeSpan.FromDays(1), "ActiveWindow must be between 1 minute and 1 day.");
        Check(options.MaxClients is >= 2 and <= 2000, "MaxClients must be between 2 and 2000.");
        Check(options.NetworkWeight is >= 0 and <= 1, "NetworkWeight must lie in [0, 1].");
        Check(options.MinClusterRisk is > 0 and <= 1, "MinClusterRisk must be above 0 and at most 1.");
        return errors.Build();

        void Check(bool valid, string message)
        {
            if (!valid)
            {
                errors.AddError($"{SybilLinkingOptions.SectionName}:{message}");
            }
        }
    }
}

/// <summary>Checks the library's <see cref="SybilLinkOptions"/> as bound from <c>GenSafety:Detection:SybilLinking</c>.</summary>
public sealed class SybilLinkOptionsSectionValidator()
    : LibraryOptionsValidator<SybilLinkOptions>(new SybilLinkOptionsValidator(), SybilLinkOptions.SectionName, SybilLinkingOptions.SectionName);
