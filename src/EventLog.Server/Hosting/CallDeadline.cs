using System.Globalization;

namespace EventLog.Server.Hosting;

/// <summary>
/// The deadline of a call with one response (unary, client streaming), kept by EventLog rather than grpc-dotnet.
/// grpc-dotnet ends such a call from a timer when its deadline passes, and a handler whose response it is writing at
/// that moment fails inside grpc-dotnet ("Invalid ordering of calling StartAsync or CompleteAsync and Advance"),
/// logged as an error. Here the deadline only cancels the call's token; the call ends DEADLINE_EXCEEDED on the
/// handler's own path (<see cref="StreamLifetimeInterceptor"/>), so one thread alone writes the response.
/// <see cref="MalformedRequestMiddleware"/> takes the <c>grpc-timeout</c> header over before grpc-dotnet sees it.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    // CancellationTokenSource.CancelAfter takes at most this; a deadline further away never fires in practice.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly CancellationToken _aborted;
    private readonly CancellationTokenSource _token;

    private CallDeadline(CancellationToken aborted, TimeSpan timeout, DateTime now)
    {
        _aborted = aborted;
        Deadline = timeout < DateTime.MaxValue - now ? now + timeout : DateTime.MaxValue;
        _token = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (timeout < LongestTimer)
        {
            _token.CancelAfter(timeout);
        }
    }

    /// <summary>When the call must have ended (UTC).</summary>
    public DateTime Deadline { get; }

    /// <summary>Fires at the deadline, and when the client resets the call.</summary>
    public CancellationToken Token => _token.Token;

    /// <summary>The deadline has passed (the client's reset alone does not count).</summary>
    public bool Passed => (_token.IsCancellationRequested && !_aborted.IsCancellationRequested) || DateTime.UtcNow >= Deadline;

    /// <summary>
    /// Removes the <c>grpc-timeout</c> of <paramref name="http"/> (a well-formed one) and keeps its deadline here: the
    /// request's <c>RequestAborted</c>, which grpc-dotnet gives the handler as the call's token, also fires at the deadline.
    /// </summary>
    public static void Take(HttpContext http, string timeout)
    {
        var deadline = new CallDeadline(http.RequestAborted, Parse(timeout), DateTime.UtcNow);
        http.Request.Headers.Remove("grpc-timeout");
        http.Features.Set(deadline);
        http.RequestAborted = deadline.Token;
        http.Response.RegisterForDispose(deadline);
    }

    /// <summary>The deadline the call's request had, if EventLog keeps it.</summary>
    public static CallDeadline? Of(ServerCallContext context) => context.GetHttpContext().Features.Get<CallDeadline>();

    /// <summary>The status of a call whose deadline passed before it ended.</summary>
    public static RpcException Exceeded() => Infrastructure.Errors.Create(StatusCode.DeadlineExceeded, "DEADLINE_EXCEEDED", "Deadline Exceeded");

    /// <summary>A well-formed <c>grpc-timeout</c>: 1 to 8 digits and a unit (H, M, S, m, u, n); under 100 ns is zero.</summary>
    public static TimeSpan Parse(string timeout)
    {
        var amount = long.Parse(timeout.AsSpan(0, timeout.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture);
        return timeout[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            _ => TimeSpan.FromTicks(amount / 100),
        };
    }

    public void Dispose() => _token.Dispose();
}
