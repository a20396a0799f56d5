
namespace EventLog.Storage.Tests.SqlServer;

internal sealed partial class StorageExercise
{
    private const string Instance = "instance-" + Project;
    private const string LogName = "syslog";

    private async Task GuestLogsAsync(CancellationToken ct)
    {
        var repository = Get<IGuestLogRepository>();
        server.SetRow("guest_logs", new GuestLogInfo { Id = Id, InstanceId = Instance, LogName = LogName, Project = Project, NextLine = 1, UpdatedAt = Now });
        server.SetRow("guest_log_chunks", new GuestLogChunk { Id = Id, LogId = Id, Seq = 1, FirstLine = 1, LineCount = 3, ByteLength = 3, Content = "a\nb"u8.ToArray(), CreatedAt = Now });

        await Call(() => repository.UpsertLogAsync(new GuestLogDefinition { InstanceId = Instance, LogName = LogName, Project = Project }, ct));
        await Call(() => repository.GetLogAsync(Instance, LogName, ct));
        await Call(() => repository.ListLogsAsync(Instance, ct));
        await Call(() => repository.SetStatusAsync(Instance, LogName, GuestLogStatus.Disabled, 10, ct));

        // A rotated file: with chunks they are stored after the old ones go; without, the stream is only touched.
        var rotated = new GuestLogPublish { InstanceId = Instance, LogName = LogName, FileOffset = 0, FileSize = 10, Rotated = true, IdempotencyKey = "key" };
        await Call(() => repository.PublishAsync(rotated with { Chunks = [new NewGuestLogChunk("a\nb"u8.ToArray(), 2)] }, ct));
        await Call(() => repository.PublishAsync(rotated, ct));
        await Call(() => repository.DiscardAsync(Instance, LogName, ct));

        // The last line of three: the tail seeks the chunk holding it.
        await Call(() => repository.GetTailAsync(Instance, LogName, 1, ct));
        await Call(() => repository.ReadChunksAsync(Id, 0, 10, ct));
        await Call(() => repository.ReapExpiredChunksAsync(Now, 10, ct));
    }
}
