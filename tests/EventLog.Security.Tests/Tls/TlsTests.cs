using EventLog.Tests.Shared;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using EventLog.Server;
using EventLog.Server.Auth;
using EventLog.V1;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EventLog.Security.Tests.Tls;

/// <summary>With <c>Tls:CertificatePath</c>, the server speaks gRPC over TLS (ALPN h2); a bad certificate stops the start.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eventlog-security-tests", "tls-" + Guid.NewGuid().ToString("N"));

    public TlsTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task WithCertificate_GrpcRunsOverTls()
    {
        using var certificate = SelfSigned();
        var path = Path.Combine(_directory, "server.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Tls:CertificatePath"] = path, ["Tls:Password"] = "pfx-password" });
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Assert.Equal("https", address.Scheme);

        X509Certificate2? seen = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            seen = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
            return cert is not null && cert.GetCertHashString() == certificate.GetCertHashString();
        };
        using var channel = TestChannels.Create(address, TestTokens.ReaderA, inner: handler);
        var reply = await new MessagesService.MessagesServiceClient(channel).ListMessagesAsync(new ListMessagesRequest(), deadline: TestTimeouts.Deadline());
        Assert.Empty(reply.Messages);
        Assert.NotNull(seen);
        Assert.Equal(certificate.Thumbprint, seen.Thumbprint);
        seen.Dispose();
    }

    [Fact]
    public async Task WithPemCertificateAndKey_GrpcRunsOverTls()
    {
        using var certificate = SelfSigned();
        var certPath = Path.Combine(_directory, "server.crt");
        var keyPath = Path.Combine(_directory, "server.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Tls:CertificatePath"] = certPath, ["Tls:KeyPath"] = keyPath });
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString();
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), deadline: TestTimeouts.Deadline());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public void MissingCertificate_StopsTheStartWithAClearMessage()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Tls:CertificatePath"] = Path.Combine(_directory, "missing.pfx") });
        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddEventLogHosting());
        Assert.Contains("Tls:CertificatePath", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts the server the way Program.cs does (full builder, AddEventLogHosting) on an https loopback port.</summary>
    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eventlog-security-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(TestTokens.Configuration());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["urls"] = "https://127.0.0.1:0",
            ["Auth:Mode"] = "Production",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddEventLogHosting();
        builder.Services.AddEventLogServer(builder.Configuration);
        var app = builder.Build();
        app.MapEventLogServices();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return app;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=eventlog-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
