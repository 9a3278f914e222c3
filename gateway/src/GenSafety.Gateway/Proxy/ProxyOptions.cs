using GenSafety.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Proxy;

/// <summary>Forwarding settings (section <c>GenSafety:Proxy</c>). Routes and upstream addresses live in YARP's <c>ReverseProxy</c> section.</summary>
public sealed class ProxyOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Proxy";

    /// <summary>The upstream's own API key, sent as <c>Authorization: Bearer</c> instead of the client's key; a secret.</summary>
    public string? UpstreamApiKey { get; set; }

    /// <summary>File holding the upstream key, used when <see cref="UpstreamApiKey"/> is empty.</summary>
    public string? UpstreamApiKeyFile { get; set; }

    /// <summary>Largest request body accepted; larger ones get <c>413</c>.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest non-streamed upstream response buffered for response transforms; larger ones get <c>502</c>.</summary>
    public long MaxResponseBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Largest single SSE event accepted from the upstream.</summary>
    public int MaxStreamEventBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest wait for the next bytes of a streamed response before it is ended with <c>upstream_timeout</c>.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The upstream key after resolving <see cref="UpstreamApiKeyFile"/>.</summary>
    public string? ResolveUpstreamApiKey() => SecretFile.Resolve(UpstreamApiKey, UpstreamApiKeyFile, "GenSafety:Proxy:UpstreamApiKey");
}

/// <summary>Checks <see cref="ProxyOptions"/> at start-up, reporting every problem at once.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var errors = new List<string>();
        try
        {
            options.ResolveUpstreamApiKey();
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            errors.Add("GenSafety:Proxy:MaxRequestBodyBytes must be between 1024 and 1073741824.");
        }

        if (options.MaxResponseBodyBytes is < 1024 or > 2L * 1024 * 1024 * 1024)
        {
            errors.Add("GenSafety:Proxy:MaxResponseBodyBytes must be between 1024 and 2147483648.");
        }

        if (options.MaxStreamEventBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add("GenSafety:Proxy:MaxStreamEventBytes must be between 1024 and 67108864.");
        }

        if (options.StreamIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add("GenSafety:Proxy:StreamIdleTimeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
