using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Client.Tests;

/// <summary>Request entries carry the node that served them; the timeline and request lists filter by it.</summary>
public sealed class NodeHistoryTests : AgentServerTest
{
    /// <summary>Noon yesterday: recent, or the retention reaper could delete the entries while a test reads them.</summary>
    private static readonly DateTime Start = DateTime.UtcNow.Date.AddHours(-12);

    [Fact]
    public async Task NodeHistory_ListsOnlyThatNodesEntries_InTimeOrder_AcrossPages()
    {
        // Recorded out of time order; n2's and node-less entries interleave.
        var minutes = new[] { 5, 1, 9, 3, 7 };
        foreach (var (minute, i) in minutes.Select((m, i) => (m, i)))
        {
            await Record($"n1-{i}", "n1", Start.AddMinutes(minute));
            await Record($"n2-{i}", "n2", Start.AddMinutes(minute).AddSeconds(1));
            await Record($"none-{i}", "", Start.AddMinutes(minute).AddSeconds(2));
        }

        var reader = Server.CreateClient(TestTokens.ReaderA);
        var newestFirst = new List<RequestEntry>();
        var token = "";
        do
        {
            var page = await reader.Tasks.ListRequestsPageAsync(new ListRequestsRequest { Filter = new RequestFilter { Node = "n1" }, PageSize = 2, PageToken = token }).WithTimeout();
            newestFirst.AddRange(page.Entries);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal([9, 7, 5, 3, 1], newestFirst.Select(e => e.Time.ToDateTime().Minute));
        Assert.All(newestFirst, e => Assert.Equal("n1", e.Node));
        var all = await reader.Tasks.ListRequestsAsync(new RequestFilter { Node = "n2" }, oldestFirst: true).ToListAsync().WithTimeout();
        Assert.Equal(["n2-0", "n2-1", "n2-2", "n2-3", "n2-4"], all.Select(e => e.RequestId));
    }

    [Fact]
    public async Task Timeline_OfANode_IsItsLastEntries_AndWithoutANodeEveryNodes()
    {
        await Record("a", "n1", Start);
        await Record("b", "n2", Start.AddMinutes(1));
        await Record("c", "n1", Start.AddMinutes(2));
        await Record("d", "", Start.AddMinutes(3));
        var reader = Server.CreateClient(TestTokens.ReaderA);

        var ofN1 = await reader.Tasks.GetTimelineAsync(new GetTimelineRequest { Node = "n1", Limit = 10 }).WithTimeout();
        var ofAll = await reader.Tasks.GetTimelineAsync(10).WithTimeout();
        var ofOtherProject = await Server.CreateClient(TestTokens.ReaderB).Tasks.GetTimelineAsync(new GetTimelineRequest { Node = "n1" }).WithTimeout();

        Assert.Equal(["c", "a"], ofN1.Select(e => e.RequestId));
        Assert.Equal(["d", "c", "b", "a"], ofAll.Select(e => e.RequestId));
        Assert.Equal(["", "n1", "n2", "n1"], ofAll.Select(e => e.Node));
        Assert.Empty(ofOtherProject);
    }

    [Fact]
    public async Task TooLongNode_IsInvalidArgument_NamingTheField()
    {
        var node = new string('n', 129);
        var cases = new (Func<Task> Call, string Field)[]
        {
            (() => Record("long", node, Start), "node"),
            (() => Agent.Tasks.GetTimelineAsync(new GetTimelineRequest { Node = node }), "node"),
            (() => Agent.Tasks.ListRequestsPageAsync(new ListRequestsRequest { Filter = new RequestFilter { Node = node } }), "filter.node"),
            (() => Agent.Provisioning.ListEventsAsync(new ListEventsRequest { ClusterId = "c", Node = node }).ToListAsync().AsTask(), "node"),
        };
        foreach (var (call, field) in cases)
        {
            var error = await Assert.ThrowsAsync<EventLogException>(() => call().WithTimeout());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Equal(field, Assert.Single(error.FieldViolations).Field);
        }
    }

    private Task<RequestEntry> Record(string requestId, string node, DateTime at) =>
        Agent.Tasks.RecordRequestAsync(new RecordRequestRequest
        {
            RequestId = requestId, Node = node, Time = Timestamp.FromDateTime(at), Kind = RequestKind.Get, Status = 200,
            App = "kimchi", MessageCode = "KCHVM0003L", MessageParams = { ["name"] = "vm1" },
        }).WithTimeout();
}
