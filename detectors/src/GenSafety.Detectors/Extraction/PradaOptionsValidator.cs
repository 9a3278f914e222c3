using GenSafety.Detectors.Statistics;
using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Extraction;

/// <summary>Checks <see cref="PradaOptions"/> and reports every problem at once.</summary>
public sealed class PradaOptionsValidator : IValidateOptions<PradaOptions>
{
    /// <summary>Largest <see cref="PradaOptions.DistanceCapacity"/>.</summary>
    public const int MaxDistanceCapacity = 4096;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PradaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = PradaOptions.SectionName;

        if (options.GrowingSetCapacity is < 8 or > 1024)
        {
            errors.AddError($"{Section}:GrowingSetCapacity must be between 8 and 1024.");
        }

        if (options.MinDistances < ShapiroWilk.MinSampleSize || options.MinDistances > MaxDistanceCapacity - 10)
        {
            errors.AddError($"{Section}:MinDistances must be between {ShapiroWilk.MinSampleSize} and {MaxDistanceCapacity - 10}.");
        }

        if (options.DistanceCapacity < options.MinDistances + 10 || options.DistanceCapacity > MaxDistanceCapacity)
        {
            errors.AddError($"{Section}:DistanceCapacity must be between MinDistances + 10 and {MaxDistanceCapacity}.");
        }

        if (options.TestInterval is < 1 or > 1000)
        {
            errors.AddError($"{Section}:TestInterval must be between 1 and 1000.");
        }

        if (!(options.OutlierSigmas is > 0 and <= 100))
        {
            errors.AddError($"{Section}:OutlierSigmas must be above 0 and at most 100.");
        }

        if (!(options.ScoreBand is > 0 and <= 0.5))
        {
            errors.AddError($"{Section}:ScoreBand must be above 0 and at most 0.5.");
        }

        if (!(options.Delta > options.ScoreBand && options.Delta + options.ScoreBand <= 1.0))
        {
            errors.AddError($"{Section}:Delta must lie in (ScoreBand, 1 − ScoreBand].");
        }

        return errors.Build();
    }
}
