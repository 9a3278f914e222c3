using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Identity;

public sealed class ClientAuthenticatorTests : IDisposable
{
    private readonly ServiceProvider _services = StateTestServices.Build([]);
    private readonly ClientAuthenticator _authenticator;
    private readonly ClientRegistry _registry;

    public ClientAuthenticatorTests()
    {
        var store = _services.GetRequiredService<IClientStateStore>();
        var options = Options.Create(new IdentityOptions { KeyPepper = "pepper-for-authenticator-tests" });
        _authenticator = new ClientAuthenticator(store, options, TimeProvider.System);
        _registry = new ClientRegistry(store, _authenticator, options, TimeProvider.System);
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Authenticate_CachedKey_AcceptsOnlyTheExactKey()
    {
        var (_, key) = await _registry.CreateAsync(new CreateClientRequest { Id = "cache-client" }, null, default);
        var forged = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        var first = await _authenticator.AuthenticateAsync(key, default);
        var second = await _authenticator.AuthenticateAsync(key, default); // served from the verified cache entry
        var wrong = await _authenticator.AuthenticateAsync(forged, default);
        var again = await _authenticator.AuthenticateAsync(key, default);

        Assert.Equal(AuthenticationStatus.Authenticated, first.Status);
        Assert.Equal(AuthenticationStatus.Authenticated, second.Status);
        Assert.Equal("cache-client", second.Identity!.ClientId);
        Assert.Equal(AuthenticationStatus.InvalidKey, wrong.Status);
        Assert.Equal(AuthenticationStatus.Authenticated, again.Status);
    }

    [Fact]
    public async Task Authenticate_AfterDelete_RejectsOnThisReplica()
    {
        var (client, key) = await _registry.CreateAsync(new CreateClientRequest { Id = "deleted-client" }, null, default);
        Assert.Equal(AuthenticationStatus.Authenticated, (await _authenticator.AuthenticateAsync(key, default)).Status);

        await _registry.DeleteAsync(client.Tenant, client.ClientId, default);

        Assert.Equal(AuthenticationStatus.InvalidKey, (await _authenticator.AuthenticateAsync(key, default)).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gsk_nosuchid_secret")]
    public async Task Authenticate_MissingOrUnknownKey_IsInvalid(string? key)
        => Assert.Equal(AuthenticationStatus.InvalidKey, (await _authenticator.AuthenticateAsync(key, default)).Status);

    [Fact]
    public async Task Authenticate_ChosenNonGatewayKey_Works()
    {
        await _registry.CreateAsync(new CreateClientRequest { Id = "chosen-key" }, "my-own-demo-key", default);

        var result = await _authenticator.AuthenticateAsync("my-own-demo-key", default);

        Assert.Equal(AuthenticationStatus.Authenticated, result.Status);
        Assert.Equal("chosen-key", result.Identity!.ClientId);
    }
}
