using System.Net;
using EventLog.Server.Infrastructure;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Server.Tests.Hosting;

/// <summary>Health as a load balancer or Kubernetes sees it: driven by a real read of the store.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Check_IsNotServing_WhileTheStoreIsUnreachable_AndServingAgainAfter()
    {
        await using var server = await EventLogHost.StartAsync();
        // The health check service reports an unhealthy check at Error: here the store is gone on purpose.
        server.ExpectError(e => e.Category == "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService" && e.EventId.Id == 103);
        var health = new Health.HealthClient(server.CreateAnonymousChannel());
        await UntilAsync(health, ServingStatus.Serving);

        // The database's folder goes away, as when its volume is unmounted.
        var moved = server.DataDirectory + "-away";
        Directory.Move(server.DataDirectory, moved);
        try
        {
            await UntilAsync(health, ServingStatus.NotServing);
        }
        finally
        {
            Directory.Move(moved, server.DataDirectory);
        }

        await UntilAsync(health, ServingStatus.Serving);
    }

    [Fact]
    public async Task HttpProbes_LiveStaysUp_ReadyFollowsTheStore()
    {
        await using var server = await EventLogHost.StartAsync();
        server.ExpectError(e => e.Category == "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService" && e.EventId.Id == 103);
        using var http = TestHttp.Create(server.Address);
        await UntilAsync(http, ProbeMethods.ReadinessPath, HttpStatusCode.OK, "Healthy");
        await UntilAsync(http, ProbeMethods.LivenessPath, HttpStatusCode.OK, "Healthy");

        var moved = server.DataDirectory + "-away";
        Directory.Move(server.DataDirectory, moved);
        try
        {
            await UntilAsync(http, ProbeMethods.ReadinessPath, HttpStatusCode.ServiceUnavailable, "Unhealthy");
            // A process whose store is gone is not restarted for it: liveness runs no check.
            await UntilAsync(http, ProbeMethods.LivenessPath, HttpStatusCode.OK, "Healthy");
        }
        finally
        {
            Directory.Move(moved, server.DataDirectory);
        }

        await UntilAsync(http, ProbeMethods.ReadinessPath, HttpStatusCode.OK, "Healthy");
        // Probes are neither logged nor traced as calls: nothing about them reaches the per-call log.
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.Contains(ProbeMethods.ReadinessPath, StringComparison.Ordinal));
    }

    /// <summary>Gets <paramref name="path"/> until it answers <paramref name="status"/> with <paramref name="body"/>; a probe's result answers checks for a second.</summary>
    private static async Task UntilAsync(HttpClient http, string path, HttpStatusCode status, string body)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await http.GetAsync(path).WithTimeout();
            var text = await response.Content.ReadAsStringAsync().WithTimeout();
            if ((response.StatusCode, text) == (status, body) || DateTime.UtcNow > until)
            {
                Assert.Equal(HttpVersion.Version20, response.Version);
                Assert.Equal((status, body), (response.StatusCode, text));
                return;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Checks until the answer is <paramref name="expected"/>: a probe's result answers checks for a second.</summary>
    private static async Task UntilAsync(Health.HealthClient health, ServingStatus expected)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        var seen = await CheckAsync(health);
        while (seen != expected && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
            seen = await CheckAsync(health);
        }
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task ManyChecks_ShareOneProbeOfTheStore()
    {
        CountingProbe? counting = null;
        await using var server = await EventLogHost.StartAsync(configureServices: services =>
        {
            var real = services.Single(d => d.ServiceType == typeof(EventLog.Storage.IStorageProbe));
            services.Remove(real);
            services.AddSingleton<EventLog.Storage.IStorageProbe>(sp => counting = new CountingProbe((EventLog.Storage.IStorageProbe)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)));
        });
        var health = new Health.HealthClient(server.CreateAnonymousChannel());

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => CheckAsync(health)));

        // A probe's result answers the checks of a second: 100 checks within a second or two take one or two probes.
        Assert.InRange(counting!.Probes, 1, 3);
    }

    [Fact]
    public async Task Check_WhileTheProbeHangs_EndsDeadlineExceeded_AtTheCallersDeadline()
    {
        var hanging = new HangingProbe();
        await using var server = await EventLogHost.StartAsync(configureServices: services =>
        {
            services.Remove(services.Single(d => d.ServiceType == typeof(EventLog.Storage.IStorageProbe)));
            services.AddSingleton<EventLog.Storage.IStorageProbe>(hanging);
        });
        // A first check while the store answers: the path is warm, and a cold start is not mistaken for the hang.
        Assert.Equal(ServingStatus.Serving, await CheckAsync(new Health.HealthClient(server.CreateAnonymousChannel())));
        hanging.Hang = true;
        await Task.Delay(StorageHealthCheckMaxAge + TimeSpan.FromMilliseconds(100));
        // Over plain HTTP/2: a gRPC client ends the call at its deadline itself, which would hide what the server answers.
        using var http = TestHttp.Create(server.Address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/grpc.health.v1.Health/Check")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(new byte[5]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", "300m");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        using var response = await http.SendAsync(request).WithTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().WithTimeout();
        var elapsed = clock.Elapsed;

        Assert.True(hanging.Started.Task.IsCompleted, "the check never reached the store's probe");
        string? Trailer(string name) => response.TrailingHeaders.TryGetValues(name, out var v) || response.Headers.TryGetValues(name, out v) ? v.Single() : null;
        Assert.Equal(("4", 0), (Trailer("grpc-status"), body.Length));
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(250), StorageHealthCheckTimeout);
        Assert.Equal("DEADLINE_EXCEEDED", StatusDetails.Reason(Trailer("grpc-status-details-bin")));
    }

    /// <summary>The longest a check waits for the store (<c>StorageHealthCheck.Timeout</c>): an answer after it is not the deadline's.</summary>
    private static readonly TimeSpan StorageHealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe's result answers checks (<c>StorageHealthCheck.MaxAge</c>).</summary>
    private static readonly TimeSpan StorageHealthCheckMaxAge = TimeSpan.FromSeconds(1);

    /// <summary>A store that answers until <see cref="Hang"/>, then never, as one behind a dead network path.</summary>
    private sealed class HangingProbe : EventLog.Storage.IStorageProbe
    {
        public volatile bool Hang;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task ProbeAsync(CancellationToken cancellationToken)
        {
            if (Hang)
            {
                Started.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }

    /// <summary>The real probe, counted.</summary>
    private sealed class CountingProbe(EventLog.Storage.IStorageProbe inner) : EventLog.Storage.IStorageProbe
    {
        private int _probes;

        public int Probes => _probes;

        public Task ProbeAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _probes);
            return inner.ProbeAsync(cancellationToken);
        }
    }

    private static async Task<ServingStatus> CheckAsync(Health.HealthClient health) =>
        (await health.CheckAsync(new HealthCheckRequest(), deadline: TestTimeouts.Deadline(30)).ResponseAsync.WithTimeout()).Status;
}
