using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Hosting;

/// <summary>
/// Resolves every gateway options type once, before the pipeline is built, and throws a single
/// <see cref="OptionsValidationException"/> listing all failures — so an operator fixes the configuration in one go
/// instead of one error per restart.
/// </summary>
internal static class OptionsStartupCheck
{
    public static void ThrowIfInvalid(IServiceProvider services)
    {
        var failures = new List<string>();
        Check<AdminOptions>(services, failures);
        Check<IdentityOptions>(services, failures);
        Check<ProxyOptions>(services, failures);
        foreach (var extra in services.GetServices<IStartupOptionsCheck>())
        {
            try
            {
                extra.Check();
            }
            catch (OptionsValidationException ex)
            {
                failures.AddRange(ex.Failures);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException("GenSafety", typeof(OptionsStartupCheck), failures);
        }
    }

    private static void Check<TOptions>(IServiceProvider services, List<string> failures)
        where TOptions : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<TOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
    }
}

/// <summary>An options type from another area that must be checked together with the gateway's own at start-up.</summary>
public interface IStartupOptionsCheck
{
    /// <summary>Resolves the options; throws <see cref="OptionsValidationException"/> when invalid.</summary>
    void Check();
}
