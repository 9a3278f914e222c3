using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Extraction;

/// <summary>Checks <see cref="WindowMmdOptions"/> and reports every problem at once.</summary>
public sealed class WindowMmdOptionsValidator : IValidateOptions<WindowMmdOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WindowMmdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        if (options.WindowSize is < 8 or > 1024)
        {
            errors.AddError($"{WindowMmdOptions.SectionName}:WindowSize must be between 8 and 1024.");
        }

        return errors.Build();
    }
}
