using GenSafety.Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace GenSafety.Gateway.Tests.Hosting;

public sealed class ListenerPortsTests
{
    private static ListenerPorts For(string? publicUrl, string? adminUrl)
    {
        var settings = new Dictionary<string, string?>();
        if (publicUrl is not null) { settings["Kestrel:Endpoints:Public:Url"] = publicUrl; }
        if (adminUrl is not null) { settings["Kestrel:Endpoints:Admin:Url"] = adminUrl; }
        return new ListenerPorts(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    [Fact]
    public void Defaults_Are8080And9090()
    {
        var ports = For(null, null);

        Assert.Equal(8080, ports.PublicPort);
        Assert.Equal(9090, ports.AdminPort);
        Assert.True(ports.IsAdmin(9090));
        Assert.False(ports.IsAdmin(8080));
    }

    [Theory]
    [InlineData("http://*:7000", 7000)]
    [InlineData("http://+:7001", 7001)]
    [InlineData("http://[::]:7002", 7002)]
    [InlineData("http://localhost:7003", 7003)]
    public void Wildcards_AreUnderstood(string url, int port) => Assert.Equal(port, For(url, null).PublicPort);

    [Theory]
    [InlineData("http://0.0.0.0:9090", "http://0.0.0.0:9090")]
    [InlineData("http://127.0.0.1:0", "http://127.0.0.1:9091")]
    [InlineData("not a url", "http://127.0.0.1:9091")]
    public void Invalid_Throws(string publicUrl, string adminUrl)
        => Assert.Throws<InvalidOperationException>(() => For(publicUrl, adminUrl));
}
