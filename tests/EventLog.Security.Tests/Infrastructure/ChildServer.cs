using EventLog.Tests.Shared;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Net.Client;
using Grpc.Core;
using Grpc.Health.V1;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>
/// The built server (<c>src/EventLog.Server/bin/&lt;configuration&gt;/net10.0/EventLog.Server.dll</c>) run as a child
/// process on a loopback port, configured by environment variables; it can be killed with SIGKILL and restarted
/// on the same port and data directory.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ChildServer(string dataDirectory, int port, Dictionary<string, string> environment)
    {
        DataDirectory = dataDirectory;
        Port = port;
        _environment = environment;
    }

    /// <summary>The server's SQLite folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The gRPC address.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>The process id of the running server.</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>What the server printed (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The server assembly next to the test's build configuration.</summary>
    public static string ServerAssembly()
    {
        var testDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(testDirectory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDirectory)!);
        for (var dir = new DirectoryInfo(testDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "EventLog.Server", "bin", configuration, framework, "EventLog.Server.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"EventLog.Server.dll ({configuration}/{framework}) not found above {testDirectory}; build the solution first.");
    }

    /// <summary>
    /// Starts the server with the test tokens (none when <paramref name="withTestTokens"/> is false) in production mode
    /// and <paramref name="settings"/> (configuration keys with ':'; an empty value removes the setting). Fails with the
    /// server's output when it exits instead.
    /// </summary>
    public static async Task<ChildServer> StartAsync(IEnumerable<KeyValuePair<string, string>>? settings = null, bool withTestTokens = true)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eventlog-security-tests", "child-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var environment = (withTestTokens ? Tokens.Configuration("__") : []).ToDictionary(p => p.Key, p => p.Value!);
        environment["Storage__Provider"] = "Sqlite";
        environment["Storage__DataDirectory"] = dataDirectory;
        environment["Auth__Mode"] = "Production";
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? [])
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value.Length == 0)
            {
                environment.Remove(name);
            }
            else
            {
                environment[name] = value;
            }
        }
        var server = new ChildServer(dataDirectory, FreePort(), environment);
        try
        {
            await server.StartProcessAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Kills the process with SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the process again on the same port and data.</summary>
    public Task RestartAsync() => StartProcessAsync();

    /// <summary>A channel with a bearer token.</summary>
    public GrpcChannel CreateChannel(string token) => TestChannels.Create(Address, token);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            _process.Dispose();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        start.ArgumentList.Add(ServerAssembly());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Address.ToString().TrimEnd('/'));
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilServingAsync();
    }

    private async Task WaitUntilServingAsync()
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process is { HasExited: true })
            {
                // The output readers may still hold the last lines (the reason it exited): wait for their end.
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(5));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is RpcException or TimeoutException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The server did not start within 60 s:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
