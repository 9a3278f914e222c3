using Microsoft.Extensions.Options;

namespace GenSafety.Watermarking;

/// <summary>Lets constructors refuse invalid options with the validator's own messages.</summary>
internal static class OptionsGuard
{
    /// <summary>Throws <see cref="ArgumentException"/> with every validation error when <paramref name="options"/> is invalid.</summary>
    public static void ThrowIfInvalid<TOptions>(IValidateOptions<TOptions> validator, TOptions options, string parameterName)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options, parameterName);
        var validation = validator.Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, parameterName);
        }
    }
}
