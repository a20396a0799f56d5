using EventLog.V1;

namespace EventLog.Server.Tests.Provisioning;

/// <summary>Requests and helpers shared by the provisioning tests.</summary>
internal static class ProvisioningTestData
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    public static string NewClusterId() => "cluster-" + Guid.NewGuid().ToString("N")[..12];

    public static DeclarePlanRequest Plan(string clusterId, params (string Name, long Total)[] steps)
    {
        var request = new DeclarePlanRequest { ClusterId = clusterId, StepType = StepType.Creating };
        request.Steps.Add(steps.Select(s => new PlannedStep { Name = s.Name, Total = s.Total }));
        return request;
    }

    public static RecordEventsRequest Events(string stepId, int first, int count, bool successful = true, string? info = null)
    {
        var request = new RecordEventsRequest { StepId = stepId };
        request.Events.Add(Enumerable.Range(first, count).Select(i => new ProvisionEvent
        {
            NodeGroupId = i % 2 == 0 ? "workers" : "masters",
            InstanceId = $"instance-{i:D4}",
            InstanceName = $"cluster-node-{i:D4}",
            Successful = successful,
            Info = info ?? "",
            ErrorId = successful ? "" : $"err-{i}",
        }));
        return request;
    }

    /// <summary>Reads the next message of a stream, failing the test after <see cref="TestTimeout"/>.</summary>
    public static async Task<T> NextAsync<T>(this Grpc.Core.IAsyncStreamReader<T> stream, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TestTimeout);
        Assert.True(await stream.MoveNext(cts.Token).WaitAsync(TestTimeout), "The stream ended early.");
        return stream.Current;
    }
}
