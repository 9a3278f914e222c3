using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Provenance;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Hooks output provenance into the gateway's pipeline.</summary>
public static class ProvenanceApplicationBuilderExtensions
{
    /// <summary>
    /// Adds <c>unigram-bias</c> request shaping to the proxy pipeline. Place it after admission, so the degrade and
    /// API-surface edits of the client's <c>logit_bias</c> come first and never touch the watermark's entries.
    /// </summary>
    public static IApplicationBuilder UseProvenanceShaping(this IApplicationBuilder proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return proxy.UseMiddleware<UnigramBiasShapingMiddleware>();
    }

    /// <summary>
    /// Maps <c>POST /v1/verify/text</c> and, with <see cref="ProvenanceOptions.MarkImages"/>, <c>POST /v1/verify/image</c>
    /// (client key required) and <c>POST /admin/ownership/test</c> (admin listener and
    /// token) when provenance is enabled.
    /// </summary>
    public static IEndpointRouteBuilder MapProvenanceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<ProvenanceOptions>>().Value;
        if (!options.Enabled)
        {
            return endpoints;
        }

        var schemes = services.GetRequiredService<ProvenanceSchemes>();
        // Verification scores both schemes: load the default tokenizer's vocabulary and ranking now, not on the first request.
        _ = schemes.UnigramFor(null);
        var ledger = services.GetRequiredService<IProvenanceLedger>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<ProvenanceSchemes>();
        var receiptKid = schemes.KeyRing!.CurrentReceiptKey().Kid;
        var store = ledger is RedisProvenanceLedger ? "redis" : "memory";
        ProvenanceLog.Enabled(logger, options.DefaultScheme, receiptKid, store);
        // Verification is admitted like any request: it counts against the client's limits and level.
        endpoints.MapPost(VerificationEndpoints.TextRoute, VerificationEndpoints.VerifyTextAsync)
            .AddEndpointFilter<ClientAuthenticationFilter>().AddEndpointFilter<AdmissionEndpointFilter>();
        if (schemes.ImagesEnabled)
        {
            endpoints.MapPost(VerificationEndpoints.ImageRoute, VerificationEndpoints.VerifyImageAsync)
                .AddEndpointFilter<ClientAuthenticationFilter>().AddEndpointFilter<AdmissionEndpointFilter>();
        }

        endpoints.MapOwnershipEndpoints();
        return endpoints;
    }
}
