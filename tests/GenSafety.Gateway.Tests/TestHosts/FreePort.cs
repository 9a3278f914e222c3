using System.Net;
using System.Net.Sockets;

namespace GenSafety.Gateway.Tests.TestHosts;

/// <summary>Loopback ports that were free a moment ago (the gateway needs explicit ports to tell its two listeners apart).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
