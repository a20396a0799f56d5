using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>WatchTaskState resumed after the last task version seen; ends after a final state.</summary>
internal sealed class TaskStateCursor(TaskLogService.TaskLogServiceClient stub, string project, long taskId, EventLogStreamOptions? streamOptions)
    : StreamCursor<WatchTaskStateResponse>
{
    private long _version;
    private bool _finished;

    public override bool Finished => _finished;

    public override bool ResumeOnEnd => true;

    public override AsyncServerStreamingCall<WatchTaskStateResponse> Open(CallOptions options) =>
        stub.WatchTaskState(new WatchTaskStateRequest { Project = project, TaskId = taskId, AfterSequence = _version }, options);

    public override bool Accept(WatchTaskStateResponse response)
    {
        if (response.UpdateCase != WatchTaskStateResponse.UpdateOneofCase.Task)
        {
            if (response.Heartbeat is { } heartbeat)
            {
                Heartbeats.Notify(streamOptions, heartbeat);
            }
            return false;
        }
        var version = response.Sequence > 0 ? response.Sequence : response.Task.Version;
        if (_version > 0 && version <= _version)
        {
            return false;
        }
        _version = version;
        _finished = TaskStates.IsFinal(response.Task.State);
        return true;
    }
}
