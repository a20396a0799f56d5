using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>WatchProgress resumed after the last progress sequence delivered.</summary>
internal sealed class ProgressCursor(ProvisioningService.ProvisioningServiceClient stub, string project, string clusterId, long afterSequence, EventLogStreamOptions? streamOptions)
    : StreamCursor<WatchProgressResponse>
{
    private long _after = afterSequence;

    public override bool ResumeOnEnd => true;

    public override AsyncServerStreamingCall<WatchProgressResponse> Open(CallOptions options) =>
        stub.WatchProgress(new WatchProgressRequest { Project = project, ClusterId = clusterId, AfterSequence = _after }, options);

    public override bool Accept(WatchProgressResponse response)
    {
        if (response.Reset)
        {
            Heartbeats.NotifyReset(streamOptions, response.OldestAvailableSequence);
        }
        if (response.UpdateCase is WatchProgressResponse.UpdateOneofCase.Heartbeat or WatchProgressResponse.UpdateOneofCase.None)
        {
            if (response.Heartbeat is { } heartbeat)
            {
                Heartbeats.Notify(streamOptions, heartbeat);
            }
            return false;
        }
        if (response.Sequence <= _after)
        {
            return false;
        }
        _after = response.Sequence;
        return true;
    }
}
