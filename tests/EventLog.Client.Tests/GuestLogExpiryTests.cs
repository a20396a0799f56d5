using System.Text;
using EventLog.Client.Internal;
using EventLog.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Client.Tests;

/// <summary>
/// A log whose oldest chunk expired (retention): the SDK's tail and save say where the readable log starts, and
/// the file publisher goes on from the file offset, not from the bytes still stored.
/// </summary>
public sealed class GuestLogExpiryTests : IAsyncLifetime
{
    private const string Instance = "inst-expiry";
    private const string Old = "old 1\nold 2\nold 3\nold 4\n";
    private const string Young = "new 5\nnew 6\nnew 7\nnew 8\n";

    private EventLogHost _server = null!;
    private EventLogClient _agent = null!;
    private EventLogClient _user = null!;
    private string _file = null!;

    public async Task InitializeAsync()
    {
        // The test reaps when it chooses; the background reaper stays out of it.
        _server = await SdkHost.StartAsync([new("Storage:Retention:Enabled", "false")]);
        _agent = _server.CreateClient(TestTokens.AgentA);
        _user = _server.CreateClient(TestTokens.MemberA);
        _file = Path.Combine(_server.DataDirectory, "expiry.log");
        await _agent.GuestLogs.RegisterLogsAsync(new RegisterLogsRequest
        {
            InstanceId = Instance,
            Datastore = "mysql",
            Logs = { new GuestLogDefinition { Name = "guest", Type = GuestLogType.Sys, File = _file, Exposed = true, Enabled = true, FileExists = true } },
        }).WithTimeout();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TailSaveAndPublisher_AfterTheOldestChunkExpired()
    {
        var publisher = new GuestLogFilePublisher(_agent.GuestLogs, Instance, "guest", _file);
        await File.WriteAllTextAsync(_file, Old);
        await publisher.PublishAsync().WithTimeout();
        // Two publishes, two chunks; the older one expires first.
        await Task.Delay(20);
        await File.AppendAllTextAsync(_file, Young);
        await publisher.PublishAsync().WithTimeout();
        var repository = _server.Services.GetRequiredService<Storage.GuestLogs.IGuestLogRepository>();
        Assert.Equal(1, await repository.ReapExpiredChunksAsync(DateTime.UtcNow.AddDays(31), 1).WithTimeout());

        var log = await _user.GuestLogs.GetLogAsync(Instance, "guest").WithTimeout();
        Assert.Equal((Young.Length, 4L, 5L, Old.Length, Old.Length + Young.Length), (log.PublishedBytes, log.LineCount, log.FirstAvailableLine, log.FirstAvailableOffset, log.PublishedOffset));

        // Tail: the start is reported before the first line; lines asked for that expired start at line 5, flagged.
        var starts = new List<long>();
        var resets = new List<long>();
        var options = new EventLogStreamOptions { OnLogStart = starts.Add, OnReset = resets.Add };
        var all = await _user.GuestLogs.TailLogAsync(Instance, "guest", lines: 0, streamOptions: options).TakeAsync(100);
        Assert.Equal([5L, 6L, 7L, 8L], all.Select(l => l.Number));
        Assert.Equal(["new 5", "new 6", "new 7", "new 8"], all.Select(l => l.Text));
        Assert.Equal([true, false, false, false], all.Select(l => l.AfterReset));
        Assert.Equal([5L], starts);
        Assert.Equal([5L], resets);

        starts.Clear();
        resets.Clear();
        var last = await _user.GuestLogs.TailLogAsync(Instance, "guest", lines: 2, streamOptions: options).TakeAsync(100);
        Assert.Equal([7L, 8L], last.Select(l => l.Number));
        Assert.DoesNotContain(last, l => l.AfterReset);
        Assert.Equal([5L], starts);
        Assert.Empty(resets);

        // Save: only the stored bytes; the returned log says where they start.
        using var saved = new MemoryStream();
        var savedLog = await _user.GuestLogs.SaveLogAsync(Instance, "guest", saved).WithTimeout();
        Assert.Equal(Young, Encoding.UTF8.GetString(saved.ToArray()));
        Assert.Equal((5L, Old.Length, 4L), (savedLog.FirstAvailableLine, savedLog.FirstAvailableOffset, savedLog.LineCount));

        // An agent that restarts resumes from the file offset: the expired bytes are not sent again.
        var restarted = new GuestLogFilePublisher(_agent.GuestLogs, Instance, "guest", _file);
        restarted.Resume(log);
        Assert.Equal(Old.Length + Young.Length, restarted.PublishedOffset);
        await File.AppendAllTextAsync(_file, "new 9\n");
        var response = await restarted.PublishAsync().WithTimeout();
        Assert.Equal(("new 9\n".Length, Old.Length + Young.Length + "new 9\n".Length), (response!.BytesStored, restarted.PublishedOffset));
        Assert.Equal(publisher.PublishedOffset + "new 9\n".Length, restarted.PublishedOffset);
        Assert.Equal((5L, 5L), (response.Log.FirstAvailableLine, response.Log.LineCount));
    }

    [Fact]
    public void SaveCursor_AResumedSaveThatStartsPastWhatWasWritten_FailsInsteadOfLeavingAHole()
    {
        var cursor = new SaveCursor(null!, new SaveLogRequest());
        Assert.True(cursor.Accept(new SaveLogResponse { Log = new GuestLog { FirstAvailableOffset = 100 }, Offset = 100, Data = ByteString.CopyFromUtf8("abcd") }));
        Assert.Equal(100, cursor.Log!.FirstAvailableOffset);

        // Resumed: bytes already written are dropped, the rest kept.
        var overlap = new SaveLogResponse { Log = new GuestLog(), Offset = 102, Data = ByteString.CopyFromUtf8("cdef") };
        Assert.True(cursor.Accept(overlap));
        Assert.Equal((104L, "ef"), (overlap.Offset, overlap.Data.ToStringUtf8()));

        // Resumed after more of the start expired: the bytes in between are gone.
        var ex = Assert.Throws<EventLogException>(() => cursor.Accept(new SaveLogResponse { Log = new GuestLog(), Offset = 110, Data = ByteString.CopyFromUtf8("z") }));
        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
    }
}
