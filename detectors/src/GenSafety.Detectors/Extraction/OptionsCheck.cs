using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Extraction;

/// <summary>Validates options where a detector is built from them directly (not through dependency injection).</summary>
internal static class OptionsCheck
{
    /// <exception cref="OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string section)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = validator.Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(section, typeof(TOptions), result.Failures);
        }
    }
}
