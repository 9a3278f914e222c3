using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Vectors;

/// <summary>
/// Validates options with the detectors library's own validator and names the gateway's section (such as
/// <c>GenSafety:Detection:Detectors:{name}</c>) in the messages instead of the library's.
/// </summary>
/// <typeparam name="TOptions">The library options.</typeparam>
public abstract class LibraryOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly IValidateOptions<TOptions> _inner;
    private readonly string _librarySection;
    private readonly string _section;

    /// <summary>Wraps <paramref name="inner"/>, whose messages start with <paramref name="librarySection"/>, for the gateway's <paramref name="section"/>.</summary>
    protected LibraryOptionsValidator(IValidateOptions<TOptions> inner, string librarySection, string section)
    {
        _inner = inner;
        _librarySection = librarySection;
        _section = section;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = _inner.Validate(name, options);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures.Select(f => f.Replace(_librarySection, _section, StringComparison.Ordinal)))
            : result;
    }
}
