using GenSafety.Watermarking.Keys;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Provenance;

/// <summary>Validates <see cref="ProvenanceOptions"/>; every error at once, and no message ever quotes the key.</summary>
internal sealed class ProvenanceOptionsValidator : IValidateOptions<ProvenanceOptions>
{
    private const string S = ProvenanceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ProvenanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        CheckScheme(options.DefaultScheme, $"{S}:DefaultScheme", errors);
        foreach (var (tenant, scheme) in options.TenantSchemes)
        {
            CheckScheme(scheme, $"{S}:TenantSchemes:{tenant}", errors);
        }

        if (!string.Equals(options.ReceiptAlgorithm, ProvenanceOptions.Hs256, StringComparison.Ordinal))
        {
            errors.Add($"{S}:ReceiptAlgorithm must be {ProvenanceOptions.Hs256} (the only one built; got '{options.ReceiptAlgorithm}').");
        }

        if (options.LedgerRetention < TimeSpan.FromHours(1))
        {
            errors.Add($"{S}:LedgerRetention must be at least 1 hour (got {options.LedgerRetention}).");
        }

        if (options.NearDuplicateThreshold is not (> 0 and <= 1))
        {
            errors.Add($"{S}:NearDuplicateThreshold must be in (0, 1] (got {options.NearDuplicateThreshold}).");
        }

        if (options.MaxCandidatesPerBand is < 1 or > 1000)
        {
            errors.Add($"{S}:MaxCandidatesPerBand must be between 1 and 1000 (got {options.MaxCandidatesPerBand}).");
        }

        if (options.LedgerQueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{S}:LedgerQueueCapacity must be between 1 and 1000000 (got {options.LedgerQueueCapacity}).");
        }

        if (options.LedgerBatchSize is < 1 or > 256)
        {
            errors.Add($"{S}:LedgerBatchSize must be between 1 and 256 (got {options.LedgerBatchSize}).");
        }

        if (options.LedgerDrainTimeout < TimeSpan.Zero || options.LedgerDrainTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{S}:LedgerDrainTimeout must be between 0 and 1 minute (got {options.LedgerDrainTimeout}).");
        }

        if (options.MaxVerifyTextCharacters is < 1 or > 10_000_000)
        {
            errors.Add($"{S}:MaxVerifyTextCharacters must be between 1 and 10000000 (got {options.MaxVerifyTextCharacters}).");
        }

        if (options.VerifyFalsePositiveRate is not (> 0 and < 0.5))
        {
            errors.Add($"{S}:VerifyFalsePositiveRate must be in (0, 0.5) (got {options.VerifyFalsePositiveRate}).");
        }

        if (options.ImageMaxHammingDistance is < 0 or > 128)
        {
            errors.Add($"{S}:ImageMaxHammingDistance must be between 0 and 128 (got {options.ImageMaxHammingDistance}).");
        }

        if (options.MaxVerifyImageBytes is < 1024 or > 256 * 1024 * 1024)
        {
            errors.Add($"{S}:MaxVerifyImageBytes must be between 1024 and 268435456 (got {options.MaxVerifyImageBytes}).");
        }

        if (options.Enabled)
        {
            CheckMasterKey(options, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckScheme(string? scheme, string key, List<string> errors)
    {
        if (scheme is null || !WatermarkSchemeNames.All.Contains(scheme, StringComparer.Ordinal))
        {
            errors.Add($"{key} must be one of {string.Join(", ", WatermarkSchemeNames.All)} (got '{scheme}').");
        }
    }

    private static void CheckMasterKey(ProvenanceOptions options, List<string> errors)
    {
        string? secret;
        try
        {
            secret = options.ResolveMasterKey();
        }
        catch (InvalidOperationException)
        {
            errors.Add($"{S}:MasterKeyFile could not be read.");
            return;
        }

        if (string.IsNullOrWhiteSpace(secret))
        {
            errors.Add($"{S} is enabled but has no master key: set {S}:MasterKey (environment GenSafety__Watermarking__MasterKey) or {S}:MasterKeyFile.");
            return;
        }

        try
        {
            _ = WatermarkMasterKey.FromBase64(secret);
        }
        catch (ArgumentException)
        {
            // The library's messages never quote the secret either; ours names only the rule.
            errors.Add($"{S}:MasterKey must be base64 of at least {WatermarkMasterKey.MinimumLength} bytes.");
        }
    }
}
