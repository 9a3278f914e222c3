using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Hosting;

public sealed class StartupValidationTests
{
    [Fact]
    public void Build_WithSeveralBadSettings_ReportsEveryErrorAtOnce()
    {
        string[] args =
        [
            $"--Kestrel:Endpoints:Public:Url=http://127.0.0.1:{FreePort.Next()}",
            $"--Kestrel:Endpoints:Admin:Url=http://127.0.0.1:{FreePort.Next()}",
            "--GenSafety:Proxy:MaxRequestBodyBytes=5",
            "--GenSafety:Identity:CacheCapacity=0",
            "--GenSafety:Redis:KeyPrefix=bad prefix",
            "--Logging:LogLevel:Default=None",
        ];
        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(GatewayApp.CreateBuilder(args)));

        var messages = Flatten(error).ToList();
        Assert.Contains(messages, m => m.Contains("GenSafety:Admin:Token", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("GenSafety:Identity:KeyPepper", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("GenSafety:Identity:CacheCapacity", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("GenSafety:Proxy:MaxRequestBodyBytes", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("KeyPrefix", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Flatten(Exception error) => error switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Flatten),
        OptionsValidationException options => options.Failures,
        _ => [error.Message],
    };
}
