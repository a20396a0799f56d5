using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>WatchMessages resumed after the last message sequence delivered.</summary>
internal sealed class MessagesCursor(MessagesService.MessagesServiceClient stub, string project, string locale, long afterSequence, EventLogStreamOptions? streamOptions)
    : StreamCursor<WatchMessagesResponse>
{
    private long _after = afterSequence;

    public override bool ResumeOnEnd => true;

    public override AsyncServerStreamingCall<WatchMessagesResponse> Open(CallOptions options) =>
        stub.WatchMessages(new WatchMessagesRequest { Project = project, AfterSequence = _after, Locale = locale }, options);

    public override bool Accept(WatchMessagesResponse response)
    {
        if (response.Reset)
        {
            Heartbeats.NotifyReset(streamOptions, response.OldestAvailableSequence);
        }
        if (response.UpdateCase != WatchMessagesResponse.UpdateOneofCase.Message)
        {
            if (response.Heartbeat is { } heartbeat)
            {
                Heartbeats.Notify(streamOptions, heartbeat);
            }
            return false;
        }
        var sequence = response.Sequence > 0 ? response.Sequence : response.Message.Sequence;
        if (sequence <= _after)
        {
            return false;
        }
        _after = sequence;
        return true;
    }
}
