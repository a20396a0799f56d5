using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EventLog.Rpc.Client;
using EventLog.Rpc.Tests.Protos;
using EventLog.Rpc.Tests.TestHost;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Tests.Client;

public class GrpcChannelTransportTests
{
    [Fact]
    public async Task ConcurrentCalls_BeyondServerStreamLimit_OpenMoreConnections()
    {
        const int Calls = 6;
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connections = new ConcurrentDictionary<string, bool>();
        await using var server = await TestServer.StartAsync(
            app => app.MapPost(Paths.Unary, async context =>
            {
                connections[context.Connection.Id] = true;
                await GrpcWire.ReadAsync(context);
                if (Interlocked.Increment(ref arrived) == Calls)
                {
                    allArrived.SetResult();
                }
                // Every call waits for all the others: with queueing on one connection this never completes.
                await allArrived.Task.WaitAsync(context.RequestAborted);
                GrpcWire.Begin(context);
                await GrpcWire.WriteAsync(context, GrpcWire.Reply("ok"));
                GrpcWire.Status(context, StatusCode.OK);
            }),
            options => options.Limits.Http2.MaxStreamsPerConnection = 2);
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var calls = Enumerable.Range(0, Calls).Select(_ => client.UnaryCallAsync(new SimpleRequest()).ResponseAsync).ToArray();
        await Task.WhenAll(calls).WaitAsync(TestTimeouts.Default);

        Assert.True(connections.Count >= Calls / 2, $"{connections.Count} connections");
    }

    [Fact]
    public async Task SharedChannel_ManyThreads_AllCallsSucceed()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            var request = await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply(request!.Text));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var channel = GrpcChannel.ForAddress(server.Address);
        var client = new TestService.TestServiceClient(channel);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            (await client.UnaryCallAsync(new SimpleRequest { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture) })).Text))).WaitAsync(TestTimeouts.Default);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), results);
    }

    [Fact]
    public async Task Https_NegotiatesHttp2WithAlpn()
    {
        using var certificate = CreateSelfSignedCertificate();
        string? protocol = null;
        bool? https = null;
        await using var server = await TestServer.StartAsync(
            app => app.MapPost(Paths.Unary, async context =>
            {
                protocol = context.Request.Protocol;
                https = context.Request.IsHttps;
                await GrpcWire.ReadAsync(context);
                GrpcWire.Begin(context);
                await GrpcWire.WriteAsync(context, GrpcWire.Reply("secure"));
                GrpcWire.Status(context, StatusCode.OK);
            }),
            certificate: certificate);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var client = new TestService.TestServiceClient(channel);

        var response = await client.UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("https", server.Address.Scheme);
        Assert.Equal("secure", response.Text);
        Assert.Equal("HTTP/2", protocol);
        Assert.True(https);
    }

    [Fact]
    public void ForAddress_RejectsNonHttpSchemes()
    {
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress("ftp://127.0.0.1:50051"));
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("/relative", UriKind.Relative)));
    }

    [Fact]
    public void Dispose_ThenNewCall_ThrowsObjectDisposed()
    {
        var channel = GrpcChannel.ForAddress("http://127.0.0.1:50051");
        Assert.Equal("127.0.0.1:50051", channel.Target);
        var invoker = channel.CreateCallInvoker();
        channel.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new TestService.TestServiceClient(invoker).UnaryCallAsync(new SimpleRequest()));
        Assert.Throws<ObjectDisposedException>(() => channel.CreateCallInvoker());
    }

    [Fact]
    public async Task CallerHttpClient_IsUsedAndNotDisposedByDefault()
    {
        await using var server = await TestServer.StartAsync(app => app.MapPost(Paths.Unary, async context =>
        {
            await GrpcWire.ReadAsync(context);
            GrpcWire.Begin(context);
            await GrpcWire.WriteAsync(context, GrpcWire.Reply("ok"));
            GrpcWire.Status(context, StatusCode.OK);
        }));
        using var httpClient = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        using (var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpClient = httpClient }))
        {
            await new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default);
        }

        using var again = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpClient = httpClient });
        var response = await new TestService.TestServiceClient(again).UnaryCallAsync(new SimpleRequest()).ResponseAsync.WaitAsync(TestTimeouts.Default);

        Assert.Equal("ok", response.Text);
    }

    private static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Kestrel needs the private key in a form the platform's TLS stack can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
