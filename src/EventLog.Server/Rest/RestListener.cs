using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventLog.Server.Rest;

/// <summary>The HTTP/JSON API's own listener on the server, told apart from the gRPC ones in the start-up announcement.</summary>
public sealed class RestListener
{
    private ListenOptions? _listen;

    /// <summary>The address as Kestrel shows it (e.g. <c>http://127.0.0.1:50052</c>) once bound; null without a listener.</summary>
    public string? Address => _listen?.ToString();

    /// <summary>Remembers the listener <see cref="RestHostingExtensions.AddEventLogRestListener"/> configured.</summary>
    internal void Track(ListenOptions listen) => _listen = listen;
}
