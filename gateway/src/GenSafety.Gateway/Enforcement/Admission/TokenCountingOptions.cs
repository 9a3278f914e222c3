using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Which tiktoken encoding counts a request's input tokens (section <c>GenSafety:Enforcement:TokenCounting</c>):
/// <c>Default</c> for every model, overridden per model by <c>Models:{model name or prefix}</c> (the longest matching
/// prefix of the request's <c>model</c> wins). Encodings: <c>cl100k_base</c>, <c>o200k_base</c>.
/// </summary>
public sealed class TokenCountingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Enforcement:TokenCounting";

    /// <summary>The encodings the gateway ships.</summary>
    public static IReadOnlyList<string> Encodings { get; } = ["cl100k_base", "o200k_base"];

    /// <summary>Encoding for models without an entry in <see cref="Models"/>. Default <c>cl100k_base</c>.</summary>
    public string Default { get; set; } = "cl100k_base";

    /// <summary>Model name or prefix → encoding, e.g. <c>"gpt-4o": "o200k_base"</c>.</summary>
    public Dictionary<string, string> Models { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Checks <see cref="TokenCountingOptions"/>: every encoding must be one the gateway ships.</summary>
public sealed class TokenCountingOptionsValidator : IValidateOptions<TokenCountingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TokenCountingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        var known = string.Join(", ", TokenCountingOptions.Encodings);
        if (!TokenCountingOptions.Encodings.Contains(options.Default))
        {
            errors.AddError($"{TokenCountingOptions.SectionName}:Default must be one of {known}, not '{options.Default}'.");
        }

        foreach (var (model, encoding) in options.Models)
        {
            if (!TokenCountingOptions.Encodings.Contains(encoding))
            {
                errors.AddError($"{TokenCountingOptions.SectionName}:Models:{model} must be one of {known}, not '{encoding}'.");
            }
        }

        return errors.Build();
    }
}
