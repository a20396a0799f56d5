using EventLog.Client.Tests.Infrastructure;
using EventLog.V1;

namespace EventLog.Client.Tests;

/// <summary>A client given several replicas' addresses spreads its calls over them and goes on when one stops.</summary>
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
