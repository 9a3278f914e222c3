using GenSafety.Gateway.State;
using GenSafety.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Identity;

/// <summary>Client identity settings (section <c>GenSafety:Identity</c>).</summary>
public sealed class IdentityOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Identity";

    /// <summary>Server-side secret mixed into every key hash, so a leaked state store does not allow offline guessing.</summary>
    public string? KeyPepper { get; set; }

    /// <summary>File holding the pepper, used when <see cref="KeyPepper"/> is empty.</summary>
    public string? KeyPepperFile { get; set; }

    /// <summary>How long a verified key stays in the in-process cache. Deleting a client takes effect on other replicas after at most this.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an unknown key id is remembered as unknown, so garbage keys do not reach the state store on every request.</summary>
    public TimeSpan NegativeCacheTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most entries kept in the cache; the cache is cleared when it grows past this.</summary>
    public int CacheCapacity { get; set; } = 100_000;

    /// <summary>Tenant given to clients created without one.</summary>
    public string DefaultTenant { get; set; } = "default";

    /// <summary>Policy given to clients created without one.</summary>
    public string DefaultPolicy { get; set; } = "default";

    /// <summary>The pepper after resolving <see cref="KeyPepperFile"/>.</summary>
    public string? ResolvePepper() => SecretFile.Resolve(KeyPepper, KeyPepperFile, "GenSafety:Identity:KeyPepper");
}

/// <summary>Checks <see cref="IdentityOptions"/> at start-up, reporting every problem at once.</summary>
public sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    /// <summary>Shortest pepper accepted.</summary>
    public const int MinimumPepperLength = 16;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        var errors = new List<string>();
        try
        {
            var pepper = options.ResolvePepper();
            if (string.IsNullOrEmpty(pepper) || pepper.Length < MinimumPepperLength)
            {
                errors.Add($"GenSafety:Identity:KeyPepper (or KeyPepperFile) must be set to a secret of at least {MinimumPepperLength} characters (environment variable GenSafety__Identity__KeyPepper).");
            }
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        if (options.CacheTtl < TimeSpan.Zero || options.CacheTtl > TimeSpan.FromHours(1))
        {
            errors.Add("GenSafety:Identity:CacheTtl must be between 00:00:00 and 01:00:00.");
        }

        if (options.NegativeCacheTtl < TimeSpan.Zero || options.NegativeCacheTtl > TimeSpan.FromMinutes(5))
        {
            errors.Add("GenSafety:Identity:NegativeCacheTtl must be between 00:00:00 and 00:05:00.");
        }

        if (options.CacheCapacity < 1)
        {
            errors.Add("GenSafety:Identity:CacheCapacity must be at least 1.");
        }

        if (!StateIds.IsValid(options.DefaultTenant))
        {
            errors.Add("GenSafety:Identity:DefaultTenant must be 1-64 letters, digits, '-' or '_'.");
        }

        if (!StateIds.IsValid(options.DefaultPolicy))
        {
            errors.Add("GenSafety:Identity:DefaultPolicy must be 1-64 letters, digits, '-' or '_'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
