using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.State;

/// <summary>
/// Behaviour every <see cref="IClientStateStore"/> must have. Each backend runs it through a subclass that
/// supplies the settings; every test uses its own tenant, so the suite can share a Redis with other tests.
/// </summary>
public abstract class ClientStateStoreContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan IdleTtl = TimeSpan.FromHours(1);

    private ServiceProvider? _services;

    protected TestTimeProvider Time { get; } = new();

    protected string Tenant { get; } = SharedRedisFixture.NewId("tenant");

    protected IClientStateStore Store { get; private set; } = null!;

    protected abstract string ExpectedKind { get; }

    public static TheoryData<string> InvalidIds => new()
    {
        "", " ", "a b", "a:b", "a/b", "a.b", "a{b}", "a*", "é", "ab\n", new string('a', 65),
    };

    /// <summary>Backend settings (section <c>GenSafety:Redis</c>); the idle TTL is added to them.</summary>
    protected abstract Dictionary<string, string?> Settings();

    public virtual Task InitializeAsync()
    {
        Dictionary<string, string?> settings = Settings();
        settings[$"{StateTestServices.Section}:IdleClientTtl"] = IdleTtl.ToString();
        _services = StateTestServices.Build(settings, Time);
        Store = _services.GetRequiredService<IClientStateStore>();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public void Kind_NamesTheBackend() => Assert.Equal(ExpectedKind, Store.Kind);

    [Fact]
    public async Task CreateClient_ThenGet_ReturnsClientAndKey()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);

        await Store.CreateClientAsync(client, key, default);

        Assert.Equal(client with { CreatedAt = StateTimeOf(client.CreatedAt) }, await Store.GetClientAsync(Tenant, client.ClientId, default));
        ApiKeyRecord? stored = await Store.GetApiKeyAsync(key.KeyId, default);
        Assert.NotNull(stored);
        Assert.Equal((key.KeyId, key.ClientId, key.Tenant, StateTimeOf(key.CreatedAt)), (stored.KeyId, stored.ClientId, stored.Tenant, stored.CreatedAt));
        Assert.Equal(key.Salt, stored.Salt);
        Assert.Equal(key.SecretHash, stored.SecretHash);
    }

    [Fact]
    public async Task CreateClient_TimesAreKeptToTheMillisecondInUtc()
    {
        var createdAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2)).AddTicks(4321);
        var (client, key) = StateTestServices.NewClient(Tenant, createdAt: createdAt);

        await Store.CreateClientAsync(client, key, default);

        var expected = new DateTimeOffset(2025, 3, 4, 3, 6, 7, 890, TimeSpan.Zero);
        ClientRecord? stored = await Store.GetClientAsync(Tenant, client.ClientId, default);
        Assert.Equal(expected.UtcTicks, stored!.CreatedAt.UtcTicks);
        Assert.Equal(TimeSpan.Zero, stored.CreatedAt.Offset);
        Assert.Equal(expected.UtcTicks, (await Store.GetApiKeyAsync(key.KeyId, default))!.CreatedAt.UtcTicks);
    }

    [Fact]
    public async Task CreateClient_Existing_ThrowsAndKeepsTheOriginal()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);
        var (_, otherKey) = StateTestServices.NewClient(Tenant, client.ClientId);

        await Assert.ThrowsAsync<ClientAlreadyExistsException>(
            () => Store.CreateClientAsync(client with { Policy = "other" }, otherKey, default).AsTask());

        Assert.Equal("default", (await Store.GetClientAsync(Tenant, client.ClientId, default))!.Policy);
        Assert.Null(await Store.GetApiKeyAsync(otherKey.KeyId, default));
        Assert.NotNull(await Store.GetApiKeyAsync(key.KeyId, default));
    }

    [Fact]
    public async Task CreateClient_KeyIdInUse_ThrowsAndStoresNothing()
    {
        var (first, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(first, key, default);
        var (second, _) = StateTestServices.NewClient(Tenant);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateClientAsync(
            second, key with { ClientId = second.ClientId }, default).AsTask());

        Assert.Null(await Store.GetClientAsync(Tenant, second.ClientId, default));
        Assert.Equal(first.ClientId, (await Store.GetApiKeyAsync(key.KeyId, default))!.ClientId);
    }

    [Fact]
    public async Task CreateClient_KeyOfAnotherClient_ThrowsArgumentException()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);

        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Store.CreateClientAsync(client, key with { ClientId = "someone-else" }, default).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Store.CreateClientAsync(client, key with { Tenant = "other-tenant" }, default).AsTask());
        Assert.Null(await Store.GetClientAsync(Tenant, client.ClientId, default));
    }

    [Fact]
    public async Task GetClient_Unknown_ReturnsNull() =>
        Assert.Null(await Store.GetClientAsync(Tenant, "nobody", default));

    [Theory]
    [InlineData("key-unknown")]
    [InlineData("not a key id")]
    [InlineData("")]
    public async Task GetApiKey_UnknownOrMalformed_ReturnsNull(string keyId) =>
        Assert.Null(await Store.GetApiKeyAsync(keyId, default));

    [Fact]
    public async Task DeleteClient_RemovesClientKeysAndUsage_ThenReturnsFalse()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);
        await Store.RecordUsageAsync(Tenant, client.ClientId, 10, 20, default);

        Assert.True(await Store.DeleteClientAsync(Tenant, client.ClientId, default));

        Assert.Null(await Store.GetClientAsync(Tenant, client.ClientId, default));
        Assert.Null(await Store.GetApiKeyAsync(key.KeyId, default));
        Assert.Equal(ClientUsage.None, await Store.GetUsageAsync(Tenant, client.ClientId, default));
        Assert.False(await Store.DeleteClientAsync(Tenant, client.ClientId, default));
    }

    [Fact]
    public async Task CreateClient_AfterDelete_StartsWithoutUsage()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);
        await Store.RecordUsageAsync(Tenant, client.ClientId, 1, 1, default);
        await Store.DeleteClientAsync(Tenant, client.ClientId, default);
        var (_, newKey) = StateTestServices.NewClient(Tenant, client.ClientId);

        await Store.CreateClientAsync(client, newKey, default);

        Assert.Equal(ClientUsage.None, await Store.GetUsageAsync(Tenant, client.ClientId, default));
        Assert.Null(await Store.GetApiKeyAsync(key.KeyId, default));
    }

    [Fact]
    public async Task RecordUsage_200ConcurrentCalls_CountsEachOnce()
    {
        const int Calls = 200;
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);

        ClientUsage[] results = await Task.WhenAll(Enumerable.Range(0, Calls).Select(
            _ => Task.Run(() => Store.RecordUsageAsync(Tenant, client.ClientId, 3, 5, default).AsTask())));

        // Atomic increments hand out every count exactly once.
        Assert.Equal(Enumerable.Range(1, Calls).Select(i => (long)i), results.Select(r => r.Requests).Order());
        Assert.All(results, r => Assert.Equal((r.Requests * 3, r.Requests * 5), (r.InputTokens, r.OutputTokens)));
        ClientUsage usage = await Store.GetUsageAsync(Tenant, client.ClientId, default);
        Assert.Equal((Calls, Calls * 3L, Calls * 5L), (usage.Requests, usage.InputTokens, usage.OutputTokens));
    }

    [Fact]
    public async Task RecordUsage_SetsLastSeenFromTheClock()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);
        Time.Advance(TimeSpan.FromMinutes(3));

        ClientUsage recorded = await Store.RecordUsageAsync(Tenant, client.ClientId, 7, 0, default);

        var expected = new ClientUsage(1, 7, 0, StateTimeOf(Time.GetUtcNow()));
        Assert.Equal(expected, recorded);
        Assert.Equal(expected, await Store.GetUsageAsync(Tenant, client.ClientId, default));
    }

    [Fact]
    public async Task GetUsage_ClientWithoutUsage_IsZero()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);

        Assert.Equal(ClientUsage.None, await Store.GetUsageAsync(Tenant, client.ClientId, default));
        Assert.Equal(ClientUsage.None, await Store.GetUsageAsync(Tenant, "unknown", default));
    }

    [Fact]
    public async Task RecordUsage_UnknownClient_RecordsNothing()
    {
        Assert.Equal(ClientUsage.None, await Store.RecordUsageAsync(Tenant, "unknown", 1, 1, default));
        Assert.Equal(ClientUsage.None, await Store.GetUsageAsync(Tenant, "unknown", default));
    }

    [Fact]
    public async Task RecordUsage_NegativeTokens_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.RecordUsageAsync(Tenant, "c", -1, 0, default).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.RecordUsageAsync(Tenant, "c", 0, -1, default).AsTask());
    }

    [Fact]
    public async Task SameClientIdInTwoTenants_AreIndependent()
    {
        string otherTenant = SharedRedisFixture.NewId("tenant");
        var (a, keyA) = StateTestServices.NewClient(Tenant, "shared-id");
        var (b, keyB) = StateTestServices.NewClient(otherTenant, "shared-id");
        await Store.CreateClientAsync(a, keyA, default);
        await Store.CreateClientAsync(b with { Policy = "strict" }, keyB, default);

        await Store.RecordUsageAsync(Tenant, "shared-id", 100, 0, default);
        Assert.True(await Store.DeleteClientAsync(otherTenant, "shared-id", default));

        Assert.Equal("default", (await Store.GetClientAsync(Tenant, "shared-id", default))!.Policy);
        Assert.Equal(1, (await Store.GetUsageAsync(Tenant, "shared-id", default)).Requests);
        Assert.NotNull(await Store.GetApiKeyAsync(keyA.KeyId, default));
        Assert.Null(await Store.GetApiKeyAsync(keyB.KeyId, default));
        Assert.Null(await Store.GetClientAsync(otherTenant, "shared-id", default));
    }

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public async Task InvalidIds_AreRejected(string id)
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        var calls = new Func<Task>[]
        {
            () => Store.CreateClientAsync(client with { ClientId = id }, key with { ClientId = id }, default).AsTask(),
            () => Store.CreateClientAsync(client with { Tenant = id }, key with { Tenant = id }, default).AsTask(),
            () => Store.CreateClientAsync(client, key with { KeyId = id }, default).AsTask(),
            () => Store.GetClientAsync(id, "c", default).AsTask(),
            () => Store.GetClientAsync(Tenant, id, default).AsTask(),
            () => Store.DeleteClientAsync(id, "c", default).AsTask(),
            () => Store.DeleteClientAsync(Tenant, id, default).AsTask(),
            () => Store.RecordUsageAsync(id, "c", 1, 1, default).AsTask(),
            () => Store.RecordUsageAsync(Tenant, id, 1, 1, default).AsTask(),
            () => Store.GetUsageAsync(id, "c", default).AsTask(),
            () => Store.GetUsageAsync(Tenant, id, default).AsTask(),
        };

        foreach (Func<Task> call in calls)
        {
            await Assert.ThrowsAnyAsync<ArgumentException>(call);
        }

        Assert.Null(await Store.GetClientAsync(Tenant, client.ClientId, default));
    }

    [Fact]
    public async Task Ids_Of64AllowedCharacters_AreAccepted()
    {
        string id = "Az09-_" + new string('x', 58);
        var (client, key) = StateTestServices.NewClient(id, id);

        await Store.CreateClientAsync(client, key with { KeyId = id }, default);

        Assert.NotNull(await Store.GetClientAsync(id, id, default));
        Assert.NotNull(await Store.GetApiKeyAsync(id, default));
        Assert.True(await Store.DeleteClientAsync(id, id, default));
    }

    [Fact]
    public async Task CheckHealth_ReportsHealthy()
    {
        StateStoreHealth health = await Store.CheckHealthAsync(default);

        Assert.True(health.Healthy, health.Error);
        Assert.Equal(ExpectedKind, health.Kind);
        Assert.Null(health.Error);
    }

    private static DateTimeOffset StateTimeOf(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
