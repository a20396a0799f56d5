using System.Text.RegularExpressions;
using EventLog.Interop.Tests.Infrastructure;
using Grpc.Net.Client;
using Grpc.Health.V1;
using Xunit;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// The real host, <c>dotnet EventLog.Server.dll</c> from src/EventLog.Server/bin (built with this project),
/// as a child process with its own SQLite folder and a known development token (or, given
/// <see cref="InteropTokens.Environment"/>, configured tokens in production mode). Nothing of the test
/// run's own URL settings reaches it, so each test states exactly how the address is chosen.
/// </summary>
public sealed partial class EventLogServerProcess : IDisposable
{
    /// <summary>The development admin token of a server started in development auth mode (the default here).</summary>
    public const string Token = "interop-hosting-token";

    private static readonly string[] AddressVariables =
    [
        "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTPS_PORTS",
        "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "Tls__CertificatePath",
    ];

    private EventLogServerProcess(ChildProcess process, string dataDirectory)
    {
        Process = process;
        DataDirectory = dataDirectory;
    }

    /// <summary>The running server.</summary>
    public ChildProcess Process { get; }

    /// <summary>Its SQLite folder, deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>What the server announced (<c>EventLog listening on ...</c>); set once it listens.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>Starts the host with command-line <paramref name="arguments"/> and extra environment variables.</summary>
    public static EventLogServerProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("eventlog-interop-host-").FullName;
        var variables = AddressVariables.ToDictionary(v => v, _ => (string?)null);
        variables["Storage__Provider"] = "Sqlite";
        variables["Storage__DataDirectory"] = dataDirectory;
        variables["Auth__Mode"] = "Development";
        variables["Auth__DevelopmentToken"] = Token;
        variables["Logging__Console__FormatterName"] = "simple";
        variables["Logging__Console__FormatterOptions__SingleLine"] = "true";
        variables["Logging__LogLevel__Default"] = "Warning";
        variables["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        variables["Logging__LogLevel__EventLog.Server.StartupAnnouncer"] = "Information";
        // Failed calls become Information lines carrying the request id: a call with a known id is a
        // marker telling when everything logged before it has reached the output (RealHostFixture.AssertNoErrorLogsAsync).
        variables["Logging__LogLevel__EventLog.Server.Observability.CallObservabilityInterceptor"] = "Information";
        variables["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }
        var assembly = ServerAssembly();
        // Run from the build output, as a deployment does: appsettings.json is read from the content root.
        var process = ChildProcess.Start(
            "dotnet", [assembly, .. arguments], Path.GetDirectoryName(assembly), line => line.Contains("EventLog listening on ", StringComparison.Ordinal), variables);
        return new EventLogServerProcess(process, dataDirectory);
    }

    /// <summary>Waits for the listening announcement and returns the announced addresses.</summary>
    public async Task<IReadOnlyList<string>> WaitUntilListeningAsync()
    {
        var line = await Process.WaitForLineAsync(TimeSpan.FromSeconds(60));
        var match = ListeningLine().Match(line);
        Assert.True(match.Success, $"unexpected announcement: {line}");
        return Addresses = match.Groups[1].Value.Split(", ");
    }

    /// <summary>The output lines printed after the first <paramref name="since"/> characters of <see cref="ChildProcess.Output"/>.</summary>
    public IReadOnlyList<string> LinesSince(int since)
    {
        var output = Process.Output;
        return output[Math.Min(since, output.Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Error and critical log lines (the console formatter's <c>fail:</c> and <c>crit:</c>) printed after
    /// <paramref name="since"/>: what a server writes when it failed, never for what a client got wrong.
    /// </summary>
    public IReadOnlyList<string> ErrorLinesSince(int since) =>
        LinesSince(since).Where(l => ErrorLine().IsMatch(l)).ToList();

    /// <summary>Health/Check of the whole server at <paramref name="address"/>.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> CheckHealthAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new Health.HealthClient(channel);
        var response = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync.WithTimeout();
        return response.Status;
    }

    /// <summary>Sends SIGTERM, what systemd, Kubernetes and Ctrl+C (SIGINT alike) do to stop the server.</summary>
    public async Task TerminateAsync()
    {
        using var kill = await ChildProcess.RunAsync("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        Assert.True(kill.ExitCode == 0, $"kill -TERM {Process.Id}: {kill.Output}");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>src/EventLog.Server/bin/&lt;configuration&gt;/&lt;framework&gt;/EventLog.Server.dll, built alongside this project.</summary>
    private static string ServerAssembly()
    {
        var testDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(testDirectory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDirectory)!);
        var assembly = Path.Combine(ExternalTools.RepoRoot, "src", "EventLog.Server", "bin", configuration, framework, "EventLog.Server.dll");
        return File.Exists(assembly)
            ? assembly
            : throw new FileNotFoundException($"{assembly} is missing: build tests/EventLog.Interop.Tests (it builds the server too).");
    }

    [GeneratedRegex(@"EventLog listening on (.+)\.$")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"^(\[stderr\] )?(fail|crit): ")]
    private static partial Regex ErrorLine();
}
