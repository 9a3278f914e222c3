using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Tests.State;

public sealed class InMemoryClientStateStoreTests : ClientStateStoreContractTests
{
    protected override string ExpectedKind => StateStoreKinds.Memory;

    protected override Dictionary<string, string?> Settings() => [];

    [Fact]
    public async Task Usage_IdleLongerThanTtl_Expires()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);
        await Store.RecordUsageAsync(Tenant, client.ClientId, 5, 5, default);
        Time.Advance(IdleTtl - TimeSpan.FromSeconds(1));
        await Store.RecordUsageAsync(Tenant, client.ClientId, 5, 5, default);

        Time.Advance(IdleTtl - TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await Store.GetUsageAsync(Tenant, client.ClientId, default)).Requests);

        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ClientUsage.None, await Store.GetUsageAsync(Tenant, client.ClientId, default));
        Assert.Equal(1, (await Store.RecordUsageAsync(Tenant, client.ClientId, 1, 1, default)).Requests);
    }
}
