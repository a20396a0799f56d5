using System.Net;
using System.Net.Sockets;

namespace EventLog.Tests.Shared;

/// <summary>Loopback ports for servers that must be told where to listen (child processes).</summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out on 127.0.0.1 and released again.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Takes 127.0.0.1:<paramref name="port"/>; null when something else already holds it.</summary>
    public static TcpListener? TryHold(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            return null;
        }
    }
}
