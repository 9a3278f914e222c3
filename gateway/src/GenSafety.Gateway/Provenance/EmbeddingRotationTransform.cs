using System.Collections.Concurrent;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Watermarking.Embeddings;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Embeddings responses of tenants with <see cref="ProvenanceOptions.RotatesEmbeddings"/>: every returned vector goes
/// through the tenant's keyed orthogonal rotation (<see cref="KeyedRotation"/>, permanent key), in either encoding.
/// Cosine similarity and norms among a tenant's vectors are unchanged, so search and clustering inside the tenant work
/// as before; vectors from two tenants are in unrelated frames, so an attacker cannot pool answers collected under
/// keys of different tenants into one training set (B4B, Dubiński et al. 2023, §4). Keys of one tenant share one
/// frame: within a tenant, splits are the detectors' business. A response whose embeddings cannot be read is
/// withheld (502), since passing it on would leak unrotated vectors.
/// </summary>
internal sealed class EmbeddingRotationTransform : IJsonResponseTransform
{
    /// <summary>Transform name.</summary>
    public const string TransformName = "embedding-rotation";

    private readonly ProvenanceSchemes _schemes;
    private readonly ConcurrentDictionary<(string Tenant, int Dimensions), Lazy<KeyedRotation>> _rotations = new();

    public EmbeddingRotationTransform(ProvenanceSchemes schemes) => _schemes = schemes;

    public string Name => TransformName;

    public bool AppliesTo(JsonResponseContext context)
        => _schemes.Enabled && context.Request.RouteKind == RouteKinds.Embeddings && context.StatusCode is >= 200 and < 300
            && context.HttpContext.Features.Get<ClientIdentity>() is { } identity && _schemes.Options.RotatesEmbeddings(identity.Tenant);

    public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
    {
        var tenant = context.HttpContext.Features.Get<ClientIdentity>()!.Tenant;
        bool rotated;
        try
        {
            rotated = EmbeddingVectors.TryRewrite(context.Body, vector => RotationFor(tenant, vector.Length).Apply(vector), out _);
        }
        catch (ArgumentOutOfRangeException)
        {
            // An empty vector, or one longer than any rotation is built for (8,192 components).
            rotated = false;
        }

        if (!rotated)
        {
            context.Block(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse, "The upstream returned embeddings the gateway could not read.", Name);
        }

        return ValueTask.CompletedTask;
    }

    // Built once per tenant and dimension (O(d³)), then shared; Lazy so that concurrent first requests build it once.
    private KeyedRotation RotationFor(string tenant, int dimensions)
        => _rotations.GetOrAdd((tenant, dimensions), key => new Lazy<KeyedRotation>(
            () => KeyedRotation.Create(_schemes.KeyRing!.Permanent(key.Tenant, KeyPurpose.Embedding), key.Dimensions))).Value;
}
