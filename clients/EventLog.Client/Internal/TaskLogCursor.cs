using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>TailTaskLog resumed after the last line number delivered; a followed tail ends with the task.</summary>
internal sealed class TaskLogCursor(TaskLogService.TaskLogServiceClient stub, string project, long taskId, long afterLine, bool follow, EventLogStreamOptions? streamOptions)
    : StreamCursor<TailTaskLogResponse>
{
    private long _afterLine = afterLine;
    private bool _ended;

    public override bool Finished => _ended;

    public override bool ResumeOnEnd => follow;

    public override AsyncServerStreamingCall<TailTaskLogResponse> Open(CallOptions options) =>
        stub.TailTaskLog(new TailTaskLogRequest { Project = project, TaskId = taskId, AfterLine = _afterLine, Follow = follow }, options);

    public override bool Accept(TailTaskLogResponse response)
    {
        if (response.Reset)
        {
            Heartbeats.NotifyReset(streamOptions, response.OldestAvailableSequence);
            _afterLine = Math.Max(_afterLine, response.OldestAvailableSequence - 1);
        }
        switch (response.UpdateCase)
        {
            case TailTaskLogResponse.UpdateOneofCase.Lines:
                var first = response.Lines.FirstLineNumber;
                var keep = LineBatches.Trim(ref first, response.Lines.Lines, ref _afterLine);
                response.Lines.FirstLineNumber = first;
                return keep;
            case TailTaskLogResponse.UpdateOneofCase.TaskEnded:
                _ended = true;
                return true;
            case TailTaskLogResponse.UpdateOneofCase.Heartbeat:
                Heartbeats.Notify(streamOptions, response.Heartbeat);
                return false;
            default:
                return false;
        }
    }
}
