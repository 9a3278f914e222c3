using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Embeddings;

/// <summary>Checks <see cref="HashingEmbedderOptions"/> and reports every problem at once.</summary>
public sealed class HashingEmbedderOptionsValidator : IValidateOptions<HashingEmbedderOptions>
{
    /// <summary>Longest n-gram the embedder supports.</summary>
    public const int MaxSupportedNgram = 8;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HashingEmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = HashingEmbedderOptions.SectionName;

        if (options.Dimensions is < 16 or > 4096)
        {
            errors.AddError($"{Section}:Dimensions must be between 16 and 4096.");
        }

        if (options.MinNgram < 1 || options.MinNgram > MaxSupportedNgram)
        {
            errors.AddError($"{Section}:MinNgram must be between 1 and {MaxSupportedNgram}.");
        }

        if (options.MaxNgram < options.MinNgram || options.MaxNgram > MaxSupportedNgram)
        {
            errors.AddError($"{Section}:MaxNgram must be between MinNgram and {MaxSupportedNgram}.");
        }

        if (options.NonZerosPerNgram < 1 || options.NonZerosPerNgram > 16 || options.NonZerosPerNgram > options.Dimensions)
        {
            errors.AddError($"{Section}:NonZerosPerNgram must be between 1 and 16 and at most Dimensions.");
        }

        if (options.MaxCharacters is < 16 or > 1 << 20)
        {
            errors.AddError($"{Section}:MaxCharacters must be between 16 and {1 << 20}.");
        }

        return errors.Build();
    }
}
