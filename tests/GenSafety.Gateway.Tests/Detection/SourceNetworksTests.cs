using System.Net;
using GenSafety.Gateway.Detection;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class SourceNetworksTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("127.0.0.1", "127.0.0.0/24")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.0/24")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1::/48")]
    [InlineData("::1", "::/48")]
    public void Of_KeepsTheSlash24OrSlash48(string address, string network)
        => Assert.Equal(network, SourceNetworks.Of(IPAddress.Parse(address)));

    [Fact]
    public void Of_NoAddress_IsNull() => Assert.Null(SourceNetworks.Of(null));
}
