using Grpc.Health.V1;
using Grpc.Net.Client;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>
/// The real host as the interop tests start it (<see cref="EventLogProcess"/>): run from its build output, as a
/// deployment is, in development auth mode with a known token unless the caller configures tokens
/// (<see cref="InteropTokens.Environment"/>), and with failed calls logged so that a marker call can flush the log.
/// </summary>
public static class InteropHost
{
    /// <summary>The development admin token of a server started in development auth mode (the default here).</summary>
    public const string Token = "interop-hosting-token";

    /// <summary>Starts the host with command-line <paramref name="arguments"/> and extra environment variables; does not wait.</summary>
    public static EventLogProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>
        {
            ["Auth__Mode"] = "Development",
            ["Auth__DevelopmentToken"] = Token,
            // Failed calls become Information lines carrying the request id: a call with a known id is a
            // marker telling when everything logged before it has reached the output (RealHostFixture.AssertNoErrorLogsAsync).
            ["Logging__LogLevel__EventLog.Server.Observability.CallObservabilityInterceptor"] = "Information",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }
        return EventLogProcess.Start(arguments, variables);
    }

    /// <summary>Health/Check of the whole server at <paramref name="address"/>.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> CheckHealthAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new Health.HealthClient(channel);
        var response = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync.WithTimeout();
        return response.Status;
    }
}
