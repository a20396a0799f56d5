
namespace EventLog.Server.Hosting;

/// <summary>
/// The call's context as the handler sees it, with a cancellation token and a deadline of its own choosing: a
/// token that also fires when the host starts stopping, the deadline EventLog keeps itself (<see cref="CallDeadline"/>).
/// Everything else is the call's own.
/// </summary>
internal sealed class CallContextView(ServerCallContext call, CancellationToken token, DateTime deadline) : ServerCallContext
{
    /// <summary>grpc-dotnet's <c>GetHttpContext</c> finds a replaced context's HttpContext under this key of the user state.</summary>
    private const string HttpContextKey = "__HttpContext";

    public CallContextView(ServerCallContext call, CancellationToken token)
        : this(call, token, call.Deadline)
    {
    }

    protected override string MethodCore => call.Method;
    protected override string HostCore => call.Host;
    protected override string PeerCore => call.Peer;
    protected override DateTime DeadlineCore => deadline;
    protected override Metadata RequestHeadersCore => call.RequestHeaders;
    protected override CancellationToken CancellationTokenCore => token;
    protected override Metadata ResponseTrailersCore => call.ResponseTrailers;
    protected override AuthContext AuthContextCore => call.AuthContext;
    protected override IDictionary<object, object> UserStateCore => call.UserState;

    protected override Status StatusCore
    {
        get => call.Status;
        set => call.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => call.WriteOptions;
        set => call.WriteOptions = value;
    }

    /// <summary>Keeps <c>GetHttpContext</c> working on views of <paramref name="call"/> (reflection, health and our interceptors use it).</summary>
    public static void KeepHttpContext(ServerCallContext call) => call.UserState.TryAdd(HttpContextKey, call.GetHttpContext());

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => call.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => call.WriteResponseHeadersAsync(responseHeaders);
}
