using EventLog.Tests.Shared;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Grpc.Net.Client;
using Grpc.Core;
using Grpc.Health.V1;

namespace EventLog.Benchmarks.E2E;

/// <summary>The built server as a child process on a free loopback port, an agent and a reader token per project, limits off.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string Suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server process (for its CPU time).</summary>
    public Process Process => _process;

    public static string AgentToken(int p) => $"bench-agent-{p}-{Suffix}";

    public static string ReaderToken(int p) => $"bench-reader-{p}-{Suffix}";

    public static async Task<ServerProcess> StartAsync(BenchOptions options, string dataDirectory)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory };
        start.ArgumentList.Add(options.ServerAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var i = 0;
        for (var p = 0; p < options.Projects; p++)
        {
            foreach (var (token, role) in new[] { (AgentToken(p), "agent"), (ReaderToken(p), "reader") })
            {
                start.Environment[$"Auth__Tokens__{i}__Name"] = $"{role}-{p}";
                start.Environment[$"Auth__Tokens__{i}__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
                start.Environment[$"Auth__Tokens__{i}__Project"] = RawStorageRun.Project(p);
                start.Environment[$"Auth__Tokens__{i}__Roles__0"] = role;
                i++;
            }
        }
        start.Environment["Auth__Mode"] = "Production";
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Capacity is measured here, not the per-principal limits.
        start.Environment["Limits__WritesPerSecondPerPrincipal"] = "0";
        start.Environment["Limits__MaxConcurrentStreamsPerPrincipal"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Print(e.Data);
        process.ErrorDataReceived += (_, e) => Print(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address);
        await server.WaitUntilServingAsync();
        return server;
    }

    public static GrpcChannel Channel(Uri address, string token) => TestChannels.Create(address, token);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
    }

    private async Task WaitUntilServingAsync()
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException)
            {
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException("The server did not start.");
    }

    private static void Print(string? line)
    {
        if (line is not null)
        {
            Console.WriteLine("  [server] " + line);
        }
    }
}
