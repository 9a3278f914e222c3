using System.Diagnostics.Metrics;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Tests.State;

[Collection(SharedRedisDefinition.Name)]
public sealed class StateServiceCollectionExtensionsTests(SharedRedisFixture redis)
{
    [Fact]
    public async Task NoConnectionString_RegistersInMemoryStore()
    {
        await using ServiceProvider services = StateTestServices.Build([]);

        Assert.IsType<InMemoryClientStateStore>(services.GetRequiredService<IClientStateStore>());
        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IConnectionMultiplexer>());
    }

    [Fact]
    public async Task ConnectionString_RegistersRedisStoreOnOneSharedConnection()
    {
        await using ServiceProvider services = StateTestServices.Build(StateTestServices.Redis(redis.EndPoint, SharedRedisFixture.NewKeyPrefix()));

        var store = Assert.IsType<RedisClientStateStore>(services.GetRequiredService<IClientStateStore>());
        Assert.Same(services.GetRequiredService<IConnectionMultiplexer>(), services.GetRequiredService<IConnectionMultiplexer>());
        Assert.True((await store.CheckHealthAsync(default)).Healthy);
    }

    [Fact]
    public async Task InvalidOptions_FailValidationOnStart()
    {
        await using ServiceProvider services = StateTestServices.Build(new Dictionary<string, string?>
        {
            ["GenSafety:Redis:KeyPrefix"] = "",
            ["GenSafety:Redis:OperationTimeout"] = "-00:00:01",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(2, ex.Failures.Count());
    }

    [Fact]
    public async Task HostStart_CreatesTheInMemoryStoreWhichWarnsOnce()
    {
        var logs = new TestLoggerProvider();
        await using ServiceProvider services = StateTestServices.Build([], logs: logs);

        foreach (IHostedService hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(default);
        }

        services.GetRequiredService<IClientStateStore>();
        TestLogEntry entry = Assert.Single(logs.Entries);
        Assert.Equal((LogLevel.Warning, "InMemoryStateStore"), (entry.Level, entry.EventId.Name));
        Assert.Contains("single instance", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedisConfiguration_AppliesTheGatewayRulesOverTheConnectionString()
    {
        var options = new StateStoreOptions
        {
            ConnectionString = "127.0.0.1:6390,abortConnect=true,syncTimeout=99999,password=secret",
            OperationTimeout = TimeSpan.FromMilliseconds(1500),
            ConnectTimeout = TimeSpan.FromSeconds(3),
        };

        ConfigurationOptions configuration = RedisConnectionFactory.CreateConfiguration(options);

        Assert.False(configuration.AbortOnConnectFail);
        Assert.Equal((1500, 1500, 3000), (configuration.SyncTimeout, configuration.AsyncTimeout, configuration.ConnectTimeout));
        Assert.Equal(BacklogPolicy.FailFast, configuration.BacklogPolicy);
        Assert.Equal("secret", configuration.Password);
    }

    [Fact]
    public async Task Unreachable_ErrorsAreCountedAndNeverCarryThePassword()
    {
        // Port 1 on loopback refuses connections at once.
        Dictionary<string, string?> settings = StateTestServices.Redis("127.0.0.1:1,password=hunter2", "gs", TimeSpan.FromMilliseconds(500));
        settings["GenSafety:Redis:ConnectTimeout"] = "00:00:00.500";
        await using ServiceProvider services = StateTestServices.Build(settings);
        IClientStateStore store = services.GetRequiredService<IClientStateStore>();
        IMeterFactory meterFactory = services.GetRequiredService<IMeterFactory>();
        var errors = new List<(long Value, string? Operation)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other tests' stores publish the same meter name: listen to this provider's only.
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "gensafety.state.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => errors.Add((value, tags.ToArray().Single(t => t.Key == "operation").Value as string)));
        listener.Start();

        var ex = await Assert.ThrowsAsync<StateStoreUnavailableException>(() => store.GetUsageAsync("t", "c", default).AsTask());
        StateStoreHealth health = await store.CheckHealthAsync(default);

        Assert.Equal([(1L, "get_usage"), (1L, "health")], errors);
        Assert.DoesNotContain("hunter2", ex.ToString(), StringComparison.Ordinal);
        Assert.False(health.Healthy);
        Assert.DoesNotContain("hunter2", health.Error, StringComparison.Ordinal);
    }
}
