using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Divergence;

/// <summary>Checks <see cref="StreamDivergenceOptions"/> and reports every problem at once.</summary>
public sealed class StreamDivergenceOptionsValidator : IValidateOptions<StreamDivergenceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StreamDivergenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = StreamDivergenceOptions.SectionName;
        if (options.MinRepetitions is < 2 or > 1000)
        {
            errors.AddError($"{Section}:MinRepetitions must be between 2 and 1000.");
        }

        if (options.MinRepetitionsWithoutWord is < 2 or > 1000)
        {
            errors.AddError($"{Section}:MinRepetitionsWithoutWord must be between 2 and 1000.");
        }

        if (options.NoteDecisionCharacters is <= DivergenceTail.MinDivergentCharacters or > DivergenceTail.RefusalCharacters)
        {
            errors.AddError($"{Section}:NoteDecisionCharacters must be between 16 and 200.");
        }

        if (options.MaxCharacters is < 256 or > 1 << 24)
        {
            errors.AddError($"{Section}:MaxCharacters must be between 256 and 16777216.");
        }

        return errors.Build();
    }
}
