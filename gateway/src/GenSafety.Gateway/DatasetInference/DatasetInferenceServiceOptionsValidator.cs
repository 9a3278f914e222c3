using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>Checks <see cref="DatasetInferenceServiceOptions"/> at start-up, reporting every problem at once.</summary>
public sealed class DatasetInferenceServiceOptionsValidator : IValidateOptions<DatasetInferenceServiceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DatasetInferenceServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string S = DatasetInferenceServiceOptions.SectionName;
        Check(errors, options.TopLogprobs is >= 0 and <= 20, $"{S}:TopLogprobs must be between 0 and 20.");
        Check(errors, options.UpstreamAddress is null || options.UpstreamAddress.IsAbsoluteUri, $"{S}:UpstreamAddress must be an absolute URL.");
        Check(errors, options.ReferenceAddress is null || options.ReferenceAddress.IsAbsoluteUri, $"{S}:ReferenceAddress must be an absolute URL.");
        Check(errors, options.ReferenceAddress is null || !string.IsNullOrWhiteSpace(options.ReferenceModel), $"{S}:ReferenceModel is needed with ReferenceAddress.");
        Check(errors, options.BatchSize is >= 1 and <= 128, $"{S}:BatchSize must be between 1 and 128.");
        Check(errors, options.RequestsPerSecond is > 0 and <= 10_000, $"{S}:RequestsPerSecond must be above 0 and at most 10000.");
        Check(errors, options.MaxConcurrentRequests is >= 1 and <= 64, $"{S}:MaxConcurrentRequests must be between 1 and 64.");
        Check(errors, options.UpstreamTimeout > TimeSpan.Zero, $"{S}:UpstreamTimeout must be positive.");
        Check(errors, options.MaxDocumentsPerSet is >= 8 and <= 100_000, $"{S}:MaxDocumentsPerSet must be between 8 and 100000.");
        Check(errors, options.MaxDocumentCharacters is >= 100 and <= 10_000_000, $"{S}:MaxDocumentCharacters must be between 100 and 10000000.");
        Check(errors, options.MaxRequestBytes is >= 1024 and <= 1024L * 1024 * 1024, $"{S}:MaxRequestBytes must be between 1024 and 1073741824.");
        Check(errors, options.MaxScoredTextsPerJob >= 16, $"{S}:MaxScoredTextsPerJob must be at least 16.");
        Check(errors, options.MaxQueuedJobs is >= 1 and <= 1000, $"{S}:MaxQueuedJobs must be between 1 and 1000.");
        Check(errors, options.Perturbations.Distinct().Count() == options.Perturbations.Count, $"{S}:Perturbations must not repeat.");
        Check(errors, options.Retention >= TimeSpan.FromMinutes(1), $"{S}:Retention must be at least one minute.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, bool valid, string message)
    {
        if (!valid)
        {
            errors.Add(message);
        }
    }
}
