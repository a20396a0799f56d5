using System.Net;

namespace EventLog.Tests.Shared;

/// <summary>
/// Plain HTTP requests to a test server (probes, metrics) over HTTP/2 with prior knowledge, as its h2c gRPC listener
/// speaks: what answers there answers on any listener of the app.
/// </summary>
public static class TestHttp
{
    /// <summary>A client whose relative requests go to <paramref name="address"/> over h2c; the caller disposes it.</summary>
    public static HttpClient Create(Uri address) => new()
    {
        BaseAddress = address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TestTimeouts.Default,
    };
}
