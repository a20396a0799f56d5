namespace EventLog.Client.Tests.Infrastructure;

/// <summary>The shared in-process server as the SDK and CLI tests use it: quick heartbeats and clients that retry fast.</summary>
public static class SdkHost
{
    /// <summary>Short heartbeats keep idle streams (and their tests) lively.</summary>
    private static readonly KeyValuePair<string, string?>[] Heartbeats =
    [
        new("TaskLog:HeartbeatInterval", "00:00:01"),
        new("Messages:HeartbeatInterval", "00:00:01"),
        new("Provisioning:HeartbeatInterval", "00:00:01"),
        new("GuestLogs:HeartbeatInterval", "00:00:01"),
    ];

    /// <summary>Starts a server with the quick heartbeats; <paramref name="settings"/> win over them.</summary>
    public static Task<EventLogHost> StartAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null) =>
        EventLogHost.StartAsync([.. Heartbeats, .. settings ?? []]);

    /// <summary>A client of <paramref name="host"/> with fast retries, disposed with the host.</summary>
    public static EventLogClient CreateClient(this EventLogHost host, string token = TestTokens.Admin, Action<EventLogClientOptions>? configure = null)
    {
        var options = new EventLogClientOptions
        {
            Address = host.Address,
            Token = token,
            DefaultDeadline = TimeSpan.FromSeconds(20),
            Retry = new EventLogRetryOptions
            {
                InitialBackoff = TimeSpan.FromMilliseconds(50),
                MaxBackoff = TimeSpan.FromMilliseconds(500),
                MaxStreamReconnectAttempts = 120,
                StreamIdleTimeout = TimeSpan.FromSeconds(20),
            },
        };
        configure?.Invoke(options);
        return host.Own(new EventLogClient(options));
    }
}
