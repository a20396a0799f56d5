using System.Net.Http.Headers;
using Grpc.Net.Client;

namespace EventLog.Tests.Shared;

/// <summary>
/// Channels of the tests to a server on loopback (h2c). A token is sent as <c>authorization: Bearer</c> by the
/// channel's HTTP handler: grpc-dotnet composes call credentials only with TLS channel credentials, and the
/// tests' channels are plain <see cref="GrpcChannel"/>s so that generated stubs take them as they are.
/// </summary>
public static class TestChannels
{
    /// <summary>A channel to <paramref name="address"/> whose calls carry <paramref name="token"/> (none when null).</summary>
    public static GrpcChannel Create(Uri address, string? token, GrpcChannelOptions? options = null, HttpMessageHandler? inner = null)
    {
        options ??= new GrpcChannelOptions();
        if (token is not null)
        {
            options.HttpHandler = new BearerTokenHandler(token) { InnerHandler = inner ?? options.HttpHandler ?? new SocketsHttpHandler { EnableMultipleHttp2Connections = true } };
        }
        else if (inner is not null)
        {
            options.HttpHandler = inner;
        }
        return GrpcChannel.ForAddress(address, options);
    }

    /// <summary>A channel to <paramref name="address"/> whose calls carry <paramref name="token"/> (none when null).</summary>
    public static GrpcChannel Create(string address, string? token, GrpcChannelOptions? options = null, HttpMessageHandler? inner = null) =>
        Create(new Uri(address), token, options, inner);

    private sealed class BearerTokenHandler(string token) : DelegatingHandler
    {
        private readonly AuthenticationHeaderValue _header = new("Bearer", token);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = _header;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
