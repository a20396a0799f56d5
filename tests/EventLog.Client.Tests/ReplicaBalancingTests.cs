using EventLog.Server.Limits;
using EventLog.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Client.Tests;

/// <summary>
/// A client given several replicas' addresses spreads its calls over them and goes on when one stops; a follow that
/// was on the stopped replica resumes on another with no gap and no duplicate.
/// </summary>
public sealed class ReplicaBalancingTests
{
    [Fact]
    public async Task Addresses_SpreadCallsRoundRobin_AndSkipAStoppedReplica()
    {
        await using var a = await SdkHost.StartAsync();
        await using var b = await SdkHost.StartAsync();
        using var client = new EventLogClient(new EventLogClientOptions
        {
            Addresses = [a.Address, b.Address],
            Token = TestTokens.Admin,
        });

        // The replicas have a database each here, so where each task was stored shows where its call went.
        for (var i = 0; i < 10; i++)
        {
            await client.Tasks.StartTaskAsync(new StartTaskRequest { App = "balanced", TargetUri = $"/vms/{i}" }).WithTimeout();
        }
        var onA = await CountAsync(a);
        var onB = await CountAsync(b);
        Assert.Equal(10, onA + onB);
        Assert.True(onA >= 3 && onB >= 3, $"round-robin should spread 10 calls over both replicas; A got {onA}, B got {onB}");

        await b.StopAsync().WithTimeout();
        for (var i = 10; i < 16; i++)
        {
            await client.Tasks.StartTaskAsync(new StartTaskRequest { App = "balanced", TargetUri = $"/vms/{i}" }).WithTimeout();
        }
        Assert.Equal(onA + 6, await CountAsync(a));
    }

    [Fact]
    public async Task TailLog_Follow_ItsReplicaStops_ResumesOnAnotherWithNoGapNoDuplicate()
    {
        // Two replicas of one deployment: the second uses the first one's SQLite file as its database.
        KeyValuePair<string, string?>[] settings = [new("Storage:ChangePollInterval", "00:00:00.100"), new("Limits:WritesPerSecondPerPrincipal", "0")];
        await using var a = await SdkHost.StartAsync(settings);
        await using var b = await SdkHost.StartAsync([.. settings, new("Storage:DataDirectory", a.DataDirectory)]);
        var client = a.CreateClient(TestTokens.AgentA, options => options.Addresses = [a.Address, b.Address]);
        var id = (await client.Tasks.StartTaskAsync(new StartTaskRequest { App = "balanced", TargetUri = "/vms/follow" }).WithTimeout()).Task.Id;
        await client.Tasks.AppendLogAsync(id, Lines(1, 50), firstLineNumber: 1).WithTimeout();

        // Followers are opened until each replica serves at least one (round-robin spreads them).
        var followers = new List<TaskLogFollower>();
        while (OpenStreams(a) == 0 || OpenStreams(b) == 0)
        {
            Assert.True(followers.Count < 10, $"10 follows should reach both replicas; A has {OpenStreams(a)}, B {OpenStreams(b)}");
            var follower = new TaskLogFollower(client, id);
            followers.Add(follower);
            await follower.Received(50).WithTimeout();
        }

        await b.StopAsync().WithTimeout();
        await client.Tasks.AppendLogAsync(id, Lines(51, 75), firstLineNumber: 51).WithTimeout();
        await client.Tasks.AppendLogAsync(id, Lines(76, 100), firstLineNumber: 76).WithTimeout();
        await client.Tasks.CompleteTaskAsync(id).WithTimeout();

        foreach (var follower in followers)
        {
            await follower.Done.WithTimeout();
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), follower.Numbers);
        }
        Assert.Contains(followers, f => f.Reconnects > 0);
    }

    private static int OpenStreams(EventLogHost server) => server.Services.GetRequiredService<StreamLimiter>().OpenStreams("agent-a");

    private static string[] Lines(int first, int last) => [.. Enumerable.Range(first, last - first + 1).Select(i => $"line {i}")];

    private static async Task<int> CountAsync(EventLogHost server)
    {
        using var direct = server.CreateClient();
        var count = 0;
        await foreach (var _ in direct.Tasks.ListTasksAsync(new ListTasksRequest { App = "balanced" }, TestTimeouts.Token()))
        {
            count++;
        }
        return count;
    }
}
