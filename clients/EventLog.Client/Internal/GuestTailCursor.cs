using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>
/// TailLog resumed from the line after the last one delivered (<c>lines = -last</c>: the lines past line
/// <c>last</c>, as Trove's log-tail counts a negative N; <c>-0</c> is the whole log). A reset
/// (rotation, discard, expiry) restarts the numbering, so the position follows the server's. The first message
/// of each call says where the readable log starts.
/// </summary>
internal sealed class GuestTailCursor(GuestLogsService.GuestLogsServiceClient stub, string project, string instanceId, string logName, long lines, bool follow, EventLogStreamOptions? streamOptions)
    : StreamCursor<TailLogResponse>
{
    private long _last;
    private bool _delivered;
    private long _logStart;

    public override bool ResumeOnEnd => follow;

    public override AsyncServerStreamingCall<TailLogResponse> Open(CallOptions options) =>
        stub.TailLog(new TailLogRequest
        {
            Project = project,
            InstanceId = instanceId,
            LogName = logName,
            Lines = _delivered ? -_last : lines,
            Follow = follow,
        }, options);

    public override bool Accept(TailLogResponse response)
    {
        if (response.FirstAvailableLine > 0 && response.FirstAvailableLine != _logStart)
        {
            _logStart = response.FirstAvailableLine;
            Heartbeats.NotifyLogStart(streamOptions, _logStart);
        }
        if (response.Reset)
        {
            Heartbeats.NotifyReset(streamOptions, response.OldestAvailableSequence);
            _last = Math.Max(0, response.OldestAvailableSequence - 1);
        }
        if (response.UpdateCase != TailLogResponse.UpdateOneofCase.Lines)
        {
            if (response.Heartbeat is { } heartbeat)
            {
                Heartbeats.Notify(streamOptions, heartbeat);
            }
            return false;
        }
        if (!_delivered)
        {
            // The first batch of a "last N lines" tail starts wherever the server says.
            _last = response.Lines.FirstLineNumber - 1;
        }
        var first = response.Lines.FirstLineNumber;
        var keep = LineBatches.Trim(ref first, response.Lines.Lines, ref _last);
        response.Lines.FirstLineNumber = first;
        _delivered |= keep;
        return keep;
    }
}
