using System.Net;
using System.Net.Sockets;

namespace GenSafety.Gateway.Tests.TestHosts;

/// <summary>
/// Loopback ports that were free a moment ago (the gateway needs explicit ports to tell its two listeners apart).
/// They are drawn below Linux's ephemeral range (32768+), so an outgoing connection of a parallel test cannot take
/// one between this check and the server's bind.
/// </summary>
public static class FreePort
{
    private const int First = 12000;
    private const int Last = 32000;

    // Ports handed out by this process: a port is free until its host binds it, so without this two draws in a row
    // (a gateway's public and admin listeners) could return the same one.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (!HandedOut.TryAdd(port, 0))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: draw again.
            }
        }

        throw new InvalidOperationException($"No free loopback port found in {First}-{Last}.");
    }
}
