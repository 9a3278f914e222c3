namespace GenSafety.Gateway.Tests.TestHosts;

/// <summary>One reference model and one gateway (in-memory state) shared by a test collection, plus a client key.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public ReferenceModelHost Model { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public string ClientKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ReferenceModelHost.StartAsync();
        Gateway = await GatewayHost.StartAsync(Model.Url);
        ClientKey = await Gateway.CreateClientKeyAsync("e2e-client");
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Model.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayTestGroup : ICollectionFixture<GatewayFixture>
{
    public const string Name = "Gateway with reference model";
}
