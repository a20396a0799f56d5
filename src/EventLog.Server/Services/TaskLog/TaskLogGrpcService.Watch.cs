using EventLog.Storage.TaskLog;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task WatchTaskState(WatchTaskStateRequest request, IServerStreamWriter<WatchTaskStateResponse> responseStream, ServerCallContext context)
    {
        TaskLogValidation.After(request.AfterSequence, "after_sequence");

        var ct = context.CancellationToken;
        var task = await LoadTaskAsync(context, Access.Read, request.Project, request.TaskId);
        var sent = request.AfterSequence;
        try
        {
            while (true)
            {
                if (task.Version > sent)
                {
                    await responseStream.WriteAsync(new WatchTaskStateResponse { Sequence = task.Version, Task = Map(task) }, ct);
                    sent = task.Version;
                }

                if (task.IsFinished)
                {
                    LogStreamEnded(logger, "WatchTaskState", task.Id, "task finished");
                    return;
                }

                var changed = await notifier.WaitForChangeAsync(StreamKeys.TaskState(task.Id), task.Version, _options.HeartbeatInterval, ct);
                if (changed is null)
                {
                    await responseStream.WriteAsync(Heartbeat(task.Version), ct);
                    continue;
                }

                if (await repository.GetTaskAsync(task.Id, ct) is not { } current)
                {
                    LogStreamEnded(logger, "WatchTaskState", task.Id, "task removed by retention");
                    return;
                }

                task = current;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LogStreamEnded(logger, "WatchTaskState", task.Id, "cancelled");
        }
    }

    private WatchTaskStateResponse Heartbeat(long sequence) =>
        new() { Sequence = sequence, Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) } };
}
