using System.Security.Cryptography;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Admin;

/// <summary>Creates and removes clients: generates the key, stores only its hash, and keeps the identity cache honest.</summary>
public sealed class ClientRegistry
{
    private readonly IClientStateStore _store;
    private readonly ClientAuthenticator _authenticator;
    private readonly IdentityOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the registry.</summary>
    public ClientRegistry(IClientStateStore store, ClientAuthenticator authenticator, IOptions<IdentityOptions> options, TimeProvider time)
    {
        _store = store;
        _authenticator = authenticator;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Creates a client with a fresh key (or <paramref name="chosenKey"/>, e.g. the demo key) and returns the key once.</summary>
    /// <exception cref="ArgumentException">An id is malformed.</exception>
    /// <exception cref="ClientAlreadyExistsException">The client exists.</exception>
    public async ValueTask<(ClientRecord Client, string ApiKey)> CreateAsync(CreateClientRequest request, string? chosenKey, CancellationToken cancellationToken)
    {
        var tenant = request.Tenant ?? _options.DefaultTenant;
        var clientId = request.Id ?? "client-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var policy = request.Policy ?? _options.DefaultPolicy;
        Require(tenant, "tenant");
        Require(clientId, "id");
        Require(policy, "policy");

        var (key, keyId) = chosenKey is null ? ApiKeys.Generate() : (chosenKey, ApiKeys.GetKeyId(chosenKey) ?? throw new ArgumentException("The chosen key is not usable.", nameof(chosenKey)));
        var now = _time.GetUtcNow();
        var client = new ClientRecord(clientId, tenant, policy, request.Name ?? clientId, now);
        var salt = ApiKeys.NewSalt();
        var credential = new ApiKeyRecord(keyId, clientId, tenant, salt, _authenticator.HashKey(salt, key), now);
        await _store.CreateClientAsync(client, credential, cancellationToken);
        return (client, key);
    }

    /// <summary>Deletes a client and its keys; returns whether it existed.</summary>
    public async ValueTask<bool> DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        var deleted = await _store.DeleteClientAsync(tenant, clientId, cancellationToken);
        _authenticator.Forget(tenant, clientId);
        return deleted;
    }

    private static void Require(string value, string field)
    {
        if (!StateIds.IsValid(value))
        {
            throw new ArgumentException($"'{field}' must be 1-{StateIds.MaxLength} letters, digits, '-' or '_'.", field);
        }
    }
}
