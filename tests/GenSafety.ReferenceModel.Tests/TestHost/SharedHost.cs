namespace GenSafety.ReferenceModel.Tests.TestHost;

/// <summary>One default-configured server shared by every test class of the <see cref="SharedHostGroup"/>.</summary>
public sealed class SharedHost : IAsyncLifetime
{
    private ReferenceModelHost? _host;

    public ReferenceModelHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _host = await ReferenceModelHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedHostGroup : ICollectionFixture<SharedHost>
{
    public const string Name = "shared reference model host";
}
