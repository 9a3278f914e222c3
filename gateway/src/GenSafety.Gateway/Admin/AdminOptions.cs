using GenSafety.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Admin;

/// <summary>Admin API settings (section <c>GenSafety:Admin</c>).</summary>
public sealed class AdminOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Admin";

    /// <summary>Bearer token for <c>/admin/*</c>; a secret (environment variable <c>GenSafety__Admin__Token</c>).</summary>
    public string? Token { get; set; }

    /// <summary>File holding the token, used when <see cref="Token"/> is empty.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The token after resolving <see cref="TokenFile"/>.</summary>
    public string? ResolveToken() => SecretFile.Resolve(Token, TokenFile, "GenSafety:Admin:Token");
}

/// <summary>Checks <see cref="AdminOptions"/> at start-up.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    /// <summary>Shortest admin token accepted.</summary>
    public const int MinimumTokenLength = 16;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        string? token;
        try
        {
            token = options.ResolveToken();
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }

        if (string.IsNullOrEmpty(token))
        {
            return ValidateOptionsResult.Fail("GenSafety:Admin:Token (or GenSafety:Admin:TokenFile) must be set: the admin API needs a secret token. Set the environment variable GenSafety__Admin__Token.");
        }

        return token.Length < MinimumTokenLength
            ? ValidateOptionsResult.Fail($"GenSafety:Admin:Token must be at least {MinimumTokenLength} characters long.")
            : ValidateOptionsResult.Success;
    }
}
