using GenSafety.Detectors.Embeddings;
using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.ApiSurface;
using GenSafety.Gateway.Detection.Coverage;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.State;
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
        Check<StateStoreOptions>(services, failures);
        Check<AdmissionOptions>(services, failures);
        Check<EnforcementOptions>(services, failures);
        Check<TokenCountingOptions>(services, failures);
        Check<ProofOfWorkOptions>(services, failures);
        Check<DegradeOptions>(services, failures);
        Check<DetectionOptions>(services, failures);
        Check<ApiSurfaceOptions>(services, failures);
        Check<B4BCoverageOptions>(services, failures);
        Check<GenSafety.Gateway.Detection.Learned.LearnedScorerOptions>(services, failures);
        Check<HashingEmbedderOptions>(services, failures);
        Check<MiniLmEmbedderOptions>(services, failures);
        Check<MemorizationOptions>(services, failures);
        Check<GenSafety.Gateway.Provenance.ProvenanceOptions>(services, failures);

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
