using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>ExportRequests resumed after the sequence of the last batch delivered.</summary>
internal sealed class ExportCursor(TaskLogService.TaskLogServiceClient stub, ExportRequestsRequest request)
    : StreamCursor<ExportRequestsResponse>
{
    private long _after = request.AfterSequence;

    public override bool ResumeOnEnd => false;

    public override AsyncServerStreamingCall<ExportRequestsResponse> Open(CallOptions options)
    {
        var resumed = request.Clone();
        resumed.AfterSequence = _after;
        return stub.ExportRequests(resumed, options);
    }

    public override bool Accept(ExportRequestsResponse response)
    {
        if (response.Lines.Count == 0 || (response.Sequence > 0 && response.Sequence <= _after))
        {
            return false;
        }
        _after = Math.Max(_after, response.Sequence);
        return true;
    }
}
