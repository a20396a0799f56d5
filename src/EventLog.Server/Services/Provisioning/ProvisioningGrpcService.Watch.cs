using EventLog.Storage.Provisioning;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Server.Services.Provisioning;

public sealed partial class ProvisioningGrpcService
{
    /// <inheritdoc/>
    public override async Task WatchProgress(WatchProgressRequest request, IServerStreamWriter<WatchProgressResponse> responseStream, ServerCallContext context)
    {
        var clusterId = ProvisioningValidation.ClusterId(request.ClusterId);
        ProvisioningValidation.AfterSequence(request.AfterSequence);

        var ct = context.CancellationToken;
        var progress = await LoadProgressAsync(context, request.Project, clusterId);
        var stalls = new StallTracker(_options.StallAfter);
        foreach (var step in progress.Steps)
        {
            stalls.Update(step, sentStalled: false);
        }

        await context.AcceptWatchAsync();
        var feed = feeds.Subscribe(clusterId);
        var after = request.AfterSequence;
        var lastSent = Now;
        try
        {
            while (true)
            {
                var batch = await feed.ReadAsync(after, _options.WatchBatchSize, ct);
                if (batch.Items.Count > 0)
                {
                    after = await SendRowsAsync(batch.Items, after, stalls, responseStream, ct);
                    lastSent = Now;
                    continue;
                }

                var heartbeatDue = lastSent + _options.HeartbeatInterval;
                var wakeAt = stalls.NextDue() is { } stallDue && stallDue < heartbeatDue ? stallDue : heartbeatDue;
                var wait = wakeAt - Now;
                if (wait > TimeSpan.Zero && await feed.WaitForChangeAsync(after, wait, ct))
                {
                    continue;
                }

                if (await SendStalledAsync(after, stalls, responseStream, ct))
                {
                    lastSent = Now;
                }
                else if (Now >= heartbeatDue)
                {
                    await responseStream.WriteAsync(new WatchProgressResponse { Sequence = after, Heartbeat = new Heartbeat { ServerTime = Timestamp.FromDateTime(Now) } }, ct);
                    lastSent = Now;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            LogWatchEnded(logger, clusterId, "cancelled");
        }
        finally
        {
            feeds.Release(feed);
        }
    }

    /// <summary>Sends stream rows in order and returns the last sequence sent. A hole (rows removed by compaction or retention) is flagged on the message after it.</summary>
    private async Task<long> SendRowsAsync(IReadOnlyList<ProvisioningEvent> rows, long after, StallTracker stalls, IServerStreamWriter<WatchProgressResponse> stream, CancellationToken ct)
    {
        var steps = new Dictionary<long, ProvisioningStep?>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var message = new WatchProgressResponse { Sequence = row.Seq };
            if (row.Seq != after + 1)
            {
                message.Reset = true;
                message.OldestAvailableSequence = row.Seq;
            }

            if (row.Kind == ProvisioningEventKind.Instance)
            {
                message.Event = ProvisioningMapper.ToProto(row);
                stalls.Touch(row.StepId, row.CreatedAt);
            }
            else
            {
                // A step-change row names the step; the message shows the step as it was at that row, so a watcher
                // that reads behind the writers never sees a step finished before the events that came first.
                if (!steps.TryGetValue(row.StepId, out var step))
                {
                    steps[row.StepId] = step = await repository.GetStepAsync(row.StepId, ct);
                }

                if (step is null)
                {
                    message.Step = new ProvisionStep { Id = ProvisioningMapper.Id(row.StepId), ClusterId = row.ClusterId, Name = row.Info ?? "" };
                }
                else
                {
                    message.Step = Map(AsOf(step, row.Kind));
                    message.Step.Stalled = ProvisioningMapper.IsStalled(step, Now, _options.StallAfter);
                    stalls.Update(step, message.Step.Stalled);
                }
            }

            await stream.WriteInBatchAsync(message, more: i < rows.Count - 1, ct);
            after = row.Seq;
        }

        return after;
    }

    /// <summary>
    /// The step at a step-change row: declared (not started, no events) or started (no events yet: the row comes
    /// before the first events of the step) or, at the finished row, its current state.
    /// </summary>
    private static ProvisioningStep AsOf(ProvisioningStep current, ProvisioningEventKind kind) => kind switch
    {
        ProvisioningEventKind.StepDeclared => current with
        {
            StartedAt = null, FinishedAt = null, LastEventAt = null, Successful = null, Completed = 0, Failed = 0, Compacted = false,
        },
        ProvisioningEventKind.StepStarted => current with
        {
            FinishedAt = null, LastEventAt = null, Successful = null, Completed = 0, Failed = 0, Compacted = false,
        },
        _ => current,
    };

    /// <summary>Sends the new state of steps that became stalled (at the last sequence sent, like a heartbeat).</summary>
    private async Task<bool> SendStalledAsync(long after, StallTracker stalls, IServerStreamWriter<WatchProgressResponse> stream, CancellationToken ct)
    {
        var sent = false;
        foreach (var stepId in stalls.Due(Now))
        {
            var step = await repository.GetStepAsync(stepId, ct);
            if (step is null)
            {
                continue;
            }

            var proto = Map(step);
            stalls.Update(step, sentStalled: true);
            if (proto.Stalled)
            {
                LogStepStalled(logger, step.Id, step.StepName, step.ClusterId, step.LastEventAt ?? step.StartedAt ?? step.CreatedAt);
                await stream.WriteAsync(new WatchProgressResponse { Sequence = after, Step = proto }, ct);
                sent = true;
            }
        }

        return sent;
    }
}
