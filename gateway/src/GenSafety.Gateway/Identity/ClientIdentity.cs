namespace GenSafety.Gateway.Identity;

/// <summary>Who sent the current request, as established by the client key. Stored in <c>HttpContext.Features</c>.</summary>
/// <param name="ClientId">Client identifier.</param>
/// <param name="Tenant">Tenant namespace.</param>
/// <param name="Policy">Policy name.</param>
/// <param name="KeyId">The key id that was presented (never the key).</param>
public sealed record ClientIdentity(string ClientId, string Tenant, string Policy, string KeyId);
