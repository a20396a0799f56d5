using EventLog.Storage.Messages;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Server.Services.Messages;

public sealed partial class MessagesGrpcService
{
    /// <inheritdoc/>
    public override async Task WatchMessages(WatchMessagesRequest request, IServerStreamWriter<WatchMessagesResponse> responseStream, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Read, request.Project);
        var locale = MessagesValidation.Locale(request.Locale);
        MessagesValidation.AfterSequence(request.AfterSequence);

        await context.AcceptWatchAsync();
        var ct = context.CancellationToken;
        var streamKey = StreamKeys.Messages(project);
        var cursor = request.AfterSequence;
        var first = true;
        long? committed = null;
        var pacer = new FollowPacer(_options.WatchLinger);
        try
        {
            while (true)
            {
                pacer.Read();
                // The stream position is known before the rows are read: every row up to it is committed and
                // visible. After a wait it is the position the wait returned; otherwise it is read.
                var last = committed ?? await notifier.GetLastSequenceAsync(streamKey, ct);
                committed = null;
                // Only the first read can find the caller's position reaped; later ones need no oldest-row lookup.
                var batch = first
                    ? await repository.ReadStreamAsync(project, cursor, _options.WatchBatchSize, ct)
                    : new StreamBatch<UserMessage>(await ReadSharedAsync(streamKey, project, cursor, last).WaitAsync(ct), 0);
                var reset = first && request.AfterSequence > 0 && IsReset(batch, cursor, last);
                first = false;
                for (var i = 0; i < batch.Items.Count; i++)
                {
                    var message = batch.Items[i];
                    var response = new WatchMessagesResponse { Sequence = message.Seq, Message = Map(message, locale) };
                    SetReset(response, ref reset, batch, last);
                    await responseStream.WriteInBatchAsync(response, more: i < batch.Items.Count - 1, ct);
                    cursor = message.Seq;
                }

                if (batch.Items.Count == _options.WatchBatchSize)
                {
                    continue;
                }

                // Rows deleted before they were read (DeleteMessage, reaper) must not be waited for again.
                cursor = Math.Max(cursor, last);
                if (reset)
                {
                    var notice = HeartbeatResponse(cursor);
                    SetReset(notice, ref reset, batch, last);
                    await responseStream.WriteAsync(notice, ct);
                }

                await pacer.PaceAsync(ct);
                committed = await notifier.WaitForChangeAsync(streamKey, cursor, _options.HeartbeatInterval, ct);
                if (committed is null)
                {
                    await responseStream.WriteAsync(HeartbeatResponse(cursor), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LogWatchEnded(logger, project, cursor, "cancelled");
        }
    }

    // Watches of one project woken by the same commit read the same rows once. The read is not cancelled with
    // the caller: other watches may be waiting for it.
    private Task<IReadOnlyList<UserMessage>> ReadSharedAsync(string streamKey, string project, long after, long known) =>
        _sharedReads.ReadAsync(streamKey, after, known, () => repository.ReadStreamRowsAsync(project, after, _options.WatchBatchSize, CancellationToken.None));

    // Messages after the caller's position were reaped: the oldest stored one is beyond the next expected,
    // or none is stored although the stream moved past the caller.
    private static bool IsReset(StreamBatch<UserMessage> batch, long after, long last) =>
        batch.OldestAvailableSequence > after + 1 || (batch.Items.Count == 0 && batch.OldestAvailableSequence == 0 && last > after);

    private static void SetReset(WatchMessagesResponse response, ref bool reset, StreamBatch<UserMessage> batch, long last)
    {
        if (!reset)
        {
            return;
        }

        response.Reset = true;
        response.OldestAvailableSequence = batch.OldestAvailableSequence > 0 ? batch.OldestAvailableSequence : last + 1;
        reset = false;
    }

    private WatchMessagesResponse HeartbeatResponse(long sequence) =>
        new() { Sequence = sequence, Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) } };
}
