using System.Net;
using System.Net.Sockets;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// A client's source network as sybil linking compares it: the IPv4 /24 or the IPv6 /48 of the connection's remote
/// address (an IPv4-mapped IPv6 address counts as IPv4), written <c>203.0.113.0/24</c> or <c>2001:db8:1::/48</c>.
/// A /24 or /48 is about one site or provider allocation: accounts run from one operator's machines share it, and
/// unrelated users of one large network share it too — which is why it is weak evidence with a small weight.
/// </summary>
public static class SourceNetworks
{
    /// <summary>The network of <paramref name="address"/>, or null when there is none.</summary>
    public static string? Of(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[3] = 0;
            return $"{new IPAddress(bytes)}/24";
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Array.Clear(bytes, 6, bytes.Length - 6);
            return $"{new IPAddress(bytes)}/48";
        }

        return null;
    }
}
