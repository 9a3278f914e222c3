using System.Net;
using System.Net.Sockets;

namespace GenSafety.LoadTests.Processes;

internal static class FreePorts
{
    /// <summary>
    /// Distinct loopback ports the OS reports free. All listeners stay open until every port is taken,
    /// so no two are the same; a small race with other programs remains until the children bind.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
