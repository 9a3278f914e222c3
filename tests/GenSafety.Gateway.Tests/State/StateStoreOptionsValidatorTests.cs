using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Tests.State;

public sealed class StateStoreOptionsValidatorTests
{
    private readonly StateStoreOptionsValidator _validator = new();

    [Fact]
    public void Defaults_AreValidAndInMemory()
    {
        var options = new StateStoreOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.False(options.UsesRedis);
        Assert.Equal(("gs", TimeSpan.FromDays(30), TimeSpan.FromSeconds(2)), (options.KeyPrefix, options.IdleClientTtl, options.OperationTimeout));
    }

    [Theory]
    [InlineData("127.0.0.1:6379")]
    [InlineData("redis-a:6379,redis-b:6380,password=p,ssl=true")]
    public void ConnectionString_Valid_Passes(string connectionString) =>
        Assert.True(_validator.Validate(null, new StateStoreOptions { ConnectionString = connectionString }).Succeeded);

    [Fact]
    public void EveryInvalidSetting_IsReportedAtOnce()
    {
        var options = new StateStoreOptions
        {
            ConnectionString = "127.0.0.1:6379,password=hunter2,nosuchoption=1",
            KeyPrefix = "gs:bad",
            IdleClientTtl = TimeSpan.Zero,
            OperationTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromHours(1),
        };

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
        Assert.All(
            ["ConnectionString", "KeyPrefix", "IdleClientTtl", "OperationTimeout", "ConnectTimeout"],
            name => Assert.Contains(result.Failures!, f => f.Contains($"GenSafety:Redis:{name}", StringComparison.Ordinal)));
        Assert.DoesNotContain("hunter2", result.FailureMessage, StringComparison.Ordinal);
    }
}
