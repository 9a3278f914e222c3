using GenSafety.Detectors.Embeddings;
using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Checks <see cref="DetectionOptions"/> at start-up and reports every problem at once: ranges, embedder names, tenant
/// ids, the fusion name and that every configured detector name is a registered detector.
/// </summary>
public sealed class DetectionOptionsValidator : IValidateOptions<DetectionOptions>
{
    private static readonly TimeSpan MaxBatchWaitLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinStateTtl = TimeSpan.FromMinutes(1);

    private readonly HashSet<string> _detectors;
    private readonly HashSet<string> _fusions;

    /// <summary>Creates the validator over the registered detectors and fusions.</summary>
    public DetectionOptionsValidator(IEnumerable<DetectorRegistration> detectors, IEnumerable<RiskFusionRegistration> fusions)
    {
        _detectors = [.. detectors.Select(d => d.Name)];
        _fusions = [.. fusions.Select(f => f.Name)];
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = DetectionOptions.SectionName;
        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.AddError($"{Section}:QueueCapacity must be between 1 and 1000000.");
        }

        if (options.MaxBatchSize is < 1 or > 10_000)
        {
            errors.AddError($"{Section}:MaxBatchSize must be between 1 and 10000.");
        }

        if (options.MaxBatchWait < TimeSpan.Zero || options.MaxBatchWait > MaxBatchWaitLimit)
        {
            errors.AddError($"{Section}:MaxBatchWait must be between 0 and {MaxBatchWaitLimit}.");
        }

        if (options.StateTtl < MinStateTtl)
        {
            errors.AddError($"{Section}:StateTtl must be at least {MinStateTtl}.");
        }

        if (!(options.RiskFloor is >= 0 and < 1))
        {
            errors.AddError($"{Section}:RiskFloor must be at least 0 and below 1.");
        }

        CheckEmbedder(errors, $"{Section}:Embedder", options.Embedder);
        foreach (var (tenant, settings) in options.Tenants)
        {
            if (!StateIds.IsValid(tenant))
            {
                errors.AddError($"{Section}:Tenants:{tenant} is not a valid tenant id.");
            }

            if (settings.Embedder is not null)
            {
                CheckEmbedder(errors, $"{Section}:Tenants:{tenant}:Embedder", settings.Embedder);
            }
        }

        if (!_fusions.Contains(options.Fusion))
        {
            errors.AddError($"{Section}:Fusion '{options.Fusion}' is unknown; known: {string.Join(", ", _fusions.Order(StringComparer.Ordinal))}.");
        }

        foreach (var (detector, settings) in options.Detectors)
        {
            if (!_detectors.Contains(detector))
            {
                errors.AddError($"{DetectionOptions.DetectorsSection}:{detector} is not a registered detector; known: {string.Join(", ", _detectors.Order(StringComparer.Ordinal))}.");
            }

            if (!(settings.Weight is >= 0 and <= 1))
            {
                errors.AddError($"{DetectionOptions.DetectorsSection}:{detector}:Weight must be between 0 and 1.");
            }
        }

        return errors.Build();
    }

    private static void CheckEmbedder(ValidateOptionsResultBuilder errors, string key, string value)
    {
        if (!EmbedderNames.All.Contains(value))
        {
            errors.AddError($"{key} must be one of {string.Join(", ", EmbedderNames.All)}; got '{value}'.");
        }
    }
}
