using EventLog.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>
/// SaveLog has no resume position in its request, so a dropped save starts over and the bytes below the
/// offset already written are dropped. Offsets are the log's file offsets: a save of a log whose start expired
/// begins above 0. Should more of the start expire before a dropped save resumes, the bytes between what was
/// written and the new start are gone: that fails the save instead of leaving a hole in the file.
/// </summary>
internal sealed class SaveCursor(GuestLogsService.GuestLogsServiceClient stub, SaveLogRequest request)
    : StreamCursor<SaveLogResponse>
{
    private long? _written;

    public GuestLog? Log { get; private set; }

    public override bool ResumeOnEnd => false;

    public override AsyncServerStreamingCall<SaveLogResponse> Open(CallOptions options) => stub.SaveLog(request, options);

    public override bool Accept(SaveLogResponse response)
    {
        if (response.Log is not null && Log is null)
        {
            Log = response.Log;
        }
        var end = response.Offset + response.Data.Length;
        if (response.Data.IsEmpty || end <= _written)
        {
            return false;
        }
        if (response.Offset > _written)
        {
            throw new EventLogException(StatusCode.DataLoss,
                $"Bytes {_written} to {response.Offset - 1} of the log expired before the save could resume; save it again.");
        }
        if (response.Offset < _written)
        {
            response.Data = ByteString.CopyFrom(response.Data.Span[(int)(_written.Value - response.Offset)..]);
            response.Offset = _written.Value;
        }
        _written = end;
        return true;
    }
}
