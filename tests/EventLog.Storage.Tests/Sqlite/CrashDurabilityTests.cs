using System.Diagnostics;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>kill -9 during a stream of commits: every append the child reported as committed survives.</summary>
public sealed class CrashDurabilityTests : IAsyncLifetime
{
    private readonly SqliteFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task AppendLines_ChildKilledWithSigkill_LosesNoReportedCommit()
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "EventLog.Storage.CrashHelper.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(helper);
        start.ArgumentList.Add(_fixture.DataDirectory);
        using var child = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        long taskId = 0, lastReported = 0;
        var reported = 0;
        try
        {
            while (reported < 2000)
            {
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("Child exited early: " + await child.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));
                var parts = line.Split(' ');
                if (parts[0] == "task")
                {
                    taskId = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (parts[0] == "committed")
                {
                    lastReported = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                    reported++;
                }
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        // Anything printed after our last read was also committed, so check up to the last line we read.
        await using var services = _fixture.BuildServices();
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IStorageMigrator>(services).MigrateAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var repo = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ITaskLogRepository>(services);
        var stored = new List<long>();
        long after = 0;
        while (true)
        {
            var batch = await repo.ReadLinesAsync(taskId, after, 5000).WaitAsync(TimeSpan.FromSeconds(30));
            if (batch.Items.Count == 0)
            {
                break;
            }

            stored.AddRange(batch.Items.Select(l => l.LineNo));
            after = batch.Items[^1].LineNo;
        }

        Assert.True(stored.Count >= lastReported, $"Only {stored.Count} lines stored but the child reported {lastReported} committed.");
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored);
    }
}
