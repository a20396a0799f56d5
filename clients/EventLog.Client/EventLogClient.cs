using EventLog.Client.Internal;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace EventLog.Client;

/// <summary>
/// The entry point of the EventLog SDK: one connection to an EventLog server with the four areas,
/// <see cref="Tasks"/>, <see cref="Messages"/>, <see cref="Provisioning"/> and <see cref="GuestLogs"/>.
/// Thread-safe; create one per server and share it (it owns the HTTP/2 connections).
/// </summary>
public class EventLogClient : IDisposable
{
    private readonly GrpcChannel? _channel;
    private readonly CallInvoker? _invoker;

    /// <summary>Creates a client for <paramref name="address"/> that sends <paramref name="token"/>.</summary>
    /// <param name="address">The server address, such as <c>http://127.0.0.1:50051</c>.</param>
    /// <param name="token">The bearer token.</param>
    public EventLogClient(string address, string token)
        : this(new EventLogClientOptions { Address = new Uri(address, UriKind.Absolute), Token = token })
    {
    }

    /// <summary>Creates a client with the given settings (copied: later changes to them have no effect).</summary>
    /// <param name="options">Address, token, deadlines, retry policy, size limits and compression.</param>
    public EventLogClient(EventLogClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Clone();
        Options.Validate();
        _channel = ChannelFactory.Create(Options);
        // Telemetry outermost: a call's span and duration cover everything the client does for it.
        _invoker = _channel.Intercept(new CallDefaultsInterceptor(Options.Token, Options.Compression)).Intercept(new CallTelemetryInterceptor());
        var runner = new CallRunner(Options);
        Tasks = new TaskLogClient(_invoker, runner);
        Messages = new MessagesClient(_invoker, runner);
        Provisioning = new ProvisioningClient(_invoker, runner);
        GuestLogs = new GuestLogsClient(_invoker, runner);
    }

    /// <summary>For mocking only: a client with no connection whose areas are null.</summary>
    protected EventLogClient()
    {
        Options = new EventLogClientOptions();
        Tasks = null!;
        Messages = null!;
        Provisioning = null!;
        GuestLogs = null!;
    }

    /// <summary>The settings in use.</summary>
    public EventLogClientOptions Options { get; }

    /// <summary>The user request log and asynchronous tasks (TaskLogService).</summary>
    public virtual TaskLogClient Tasks { get; }

    /// <summary>User-facing failure messages (MessagesService).</summary>
    public virtual MessagesClient Messages { get; }

    /// <summary>Cluster provisioning progress (ProvisioningService).</summary>
    public virtual ProvisioningClient Provisioning { get; }

    /// <summary>Logs published from guest instances (GuestLogsService).</summary>
    public virtual GuestLogsClient GuestLogs { get; }

    /// <summary>The call invoker of the client's channel, for calling the generated stubs directly; its calls carry the token.</summary>
    public CallInvoker CallInvoker => _invoker ?? throw new InvalidOperationException("A mock client has no channel.");

    /// <summary>Closes the connections; calls and streams still running fail.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the channel.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _channel?.Dispose();
        }
    }
}
