using System.Globalization;
using Dapper;
using EventLog.Storage.Core;

namespace EventLog.Storage.Provisioning;

internal sealed partial class ProvisioningRepository
{
    private const string InsertStepColumns = "cluster_id, project, step_name, step_type, ordinal, total, created_at";

    private const string InsertStepValues = "@ClusterId, @Project, @StepName, @StepType, @Ordinal, @Total, @CreatedAt";

    private const string SelectMaxOrdinal = "SELECT MAX(ordinal) FROM prov_steps {0} WHERE cluster_id = @clusterId";

    private const string UpdateStarted = "UPDATE prov_steps SET started_at = @now, last_event_at = @now, total = @total WHERE id = @id";

    private const string UpdateCounts = """
        UPDATE prov_steps SET completed = @Completed, failed = @Failed, successful = @Successful, started_at = @StartedAt,
            finished_at = @FinishedAt, last_event_at = @LastEventAt
        WHERE id = @Id
        """;

    private const string UpdateFinished = "UPDATE prov_steps SET successful = @successful, finished_at = @now, last_event_at = @now WHERE id = @id";

    private const string SelectCompactable = """
        SELECT {0} id FROM prov_steps WHERE successful = {2} AND compacted = {3} AND finished_at < @before ORDER BY finished_at {1}
        """;

    private const string SelectEventIds = "SELECT id, seq FROM prov_events WHERE cluster_id = @clusterId AND seq BETWEEN @first AND @last";

    private const string MarkCompacted = "UPDATE prov_steps SET compacted = {0} WHERE id = @id";

    public Task<IReadOnlyList<ProvisioningStep>> DeclarePlanAsync(string project, string clusterId, ProvisioningStepType stepType, IReadOnlyList<PlannedStep> steps, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var scope = "provisioning.plan:" + clusterId;
        return database.WriteAsync<IReadOnlyList<ProvisioningStep>>(async w =>
        {
            if (await w.FindIdempotentAsync<List<ProvisioningStep>>(scope, idempotencyKey) is { } existing)
            {
                return existing;
            }

            var now = Now;
            var ordinal = await w.SingleOrDefaultAsync<int?>(string.Format(CultureInfo.InvariantCulture, SelectMaxOrdinal, w.Dialect.LockKeyRange), new { clusterId }) ?? 0;
            var insert = w.Dialect.InsertReturningId("prov_steps", InsertStepColumns, InsertStepValues);
            var first = await w.AllocateAsync(StreamKeys.Cluster(clusterId), steps.Count);
            var created = new List<ProvisioningStep>(steps.Count);
            foreach (var planned in steps)
            {
                var step = new ProvisioningStep
                {
                    ClusterId = clusterId, Project = project, StepName = planned.Name, StepType = stepType,
                    Ordinal = ++ordinal, Total = planned.Total, CreatedAt = now,
                };
                step = step with { Id = await w.ScalarAsync<long>(insert, step) };
                await InsertChangeAsync(w, step, ProvisioningEventKind.StepDeclared, first + created.Count, now);
                created.Add(step);
            }

            await w.SaveIdempotentAsync(scope, idempotencyKey, created, now);
            return created;
        }, cancellationToken);
    }

    public Task<ProvisioningStep> StartStepAsync(long stepId, CancellationToken cancellationToken = default) =>
        StartStepAsync(stepId, 0, cancellationToken);

    public Task<ProvisioningStep> StartStepAsync(long stepId, int total, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var step = await LoadForUpdateAsync(w, stepId);
            if (step.FinishedAt is not null)
            {
                throw new PreconditionFailedException($"Step {stepId} already finished.");
            }

            if (step.StartedAt is not null)
            {
                return step;
            }

            var now = Now;
            total = total > 0 ? total : step.Total;
            await w.ExecuteAsync(UpdateStarted, new { id = stepId, now, total });
            var seq = await w.AllocateAsync(StreamKeys.Cluster(step.ClusterId));
            await InsertChangeAsync(w, step, ProvisioningEventKind.StepStarted, seq, now);
            return step with { StartedAt = now, LastEventAt = now, Total = total };
        }, cancellationToken);

    public Task<AddEventsResult> AddEventsAsync(long stepId, IReadOnlyList<NewProvisioningEvent> events, string? idempotencyKey = null, string? project = null, CancellationToken cancellationToken = default)
    {
        if (events.Count == 0)
        {
            throw new ArgumentException("At least one event is required.", nameof(events));
        }

        var scope = "provisioning.events:" + stepId.ToString(CultureInfo.InvariantCulture);
        return database.WriteAsync(async w =>
        {
            // The step first: a caller of another project learns nothing of it, not even from a replay.
            var step = await LoadForUpdateAsync(w, stepId);
            if (project is not null && step.Project != project)
            {
                throw new NotFoundException($"Provisioning step {stepId} does not exist.");
            }

            if (await w.FindIdempotentAsync<AddEventsResult>(scope, idempotencyKey) is { } existing)
            {
                return existing with { FinishedStep = false };
            }

            if (step.Successful == true)
            {
                throw new PreconditionFailedException($"Step {stepId} '{step.StepName}' already completed successfully; it takes no more events.");
            }

            var now = Now;
            var failed = events.Count(e => !e.Successful);
            var updated = step with
            {
                StartedAt = step.StartedAt ?? now, LastEventAt = now,
                Completed = step.Completed + events.Count, Failed = step.Failed + failed,
            };
            if (updated.Successful is null && (failed > 0 || (updated.Total > 0 && updated.Completed >= updated.Total)))
            {
                updated = updated with { Successful = failed == 0 && updated.Failed == 0, FinishedAt = now };
            }

            var changes = (step.StartedAt is null ? 1 : 0) + (updated.FinishedAt != step.FinishedAt ? 1 : 0);
            var seq = await w.AllocateAsync(StreamKeys.Cluster(step.ClusterId), events.Count + changes);
            var firstSeq = seq;
            if (step.StartedAt is null)
            {
                await InsertChangeAsync(w, step, ProvisioningEventKind.StepStarted, seq++, now);
            }

            var rows = events.Select(e => new ProvisioningEvent
            {
                ClusterId = step.ClusterId, Seq = seq++, StepId = stepId, Kind = ProvisioningEventKind.Instance,
                NodeGroup = e.NodeGroup, InstanceId = e.InstanceId, InstanceName = e.InstanceName, Info = e.Info,
                Successful = e.Successful, ErrorId = e.ErrorId, CreatedAt = now, Node = e.Node,
            }).ToList();
            await w.Connection.ExecuteAsync(w.Command(InsertEvent, rows));
            var ids = (await w.QueryAsync<(long Id, long Seq)>(SelectEventIds, new { clusterId = step.ClusterId, first = rows[0].Seq, last = rows[^1].Seq }))
                .ToDictionary(r => r.Seq, r => r.Id);
            rows = rows.Select(r => r with { Id = ids.GetValueOrDefault(r.Seq) }).ToList();
            if (updated.FinishedAt != step.FinishedAt)
            {
                await InsertChangeAsync(w, updated, ProvisioningEventKind.StepFinished, seq++, now);
            }

            await w.ExecuteAsync(UpdateCounts, updated);
            var result = new AddEventsResult(updated, firstSeq, seq - 1) { Events = rows, FinishedStep = updated.FinishedAt != step.FinishedAt };
            await w.SaveIdempotentAsync(scope, idempotencyKey, result, now);
            return result;
        }, cancellationToken);
    }

    public Task<ProvisioningStep> CompleteStepAsync(long stepId, bool successful, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var step = await LoadForUpdateAsync(w, stepId);
            if (step.Successful is { } outcome)
            {
                return outcome == successful ? step : throw new PreconditionFailedException($"Step {stepId} already finished with successful={outcome}.");
            }

            var now = Now;
            await w.ExecuteAsync(UpdateFinished, new { id = stepId, successful, now });
            var finished = step with { Successful = successful, FinishedAt = now, LastEventAt = now, StartedAt = step.StartedAt ?? now };
            var seq = await w.AllocateAsync(StreamKeys.Cluster(step.ClusterId));
            await InsertChangeAsync(w, finished, ProvisioningEventKind.StepFinished, seq, now);
            return finished;
        }, cancellationToken);

    public Task<int> CompactAsync(DateTime finishedBefore, int batchSize, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            var d = w.Dialect;
            var stepIds = await w.QueryAsync<long>(string.Format(CultureInfo.InvariantCulture, SelectCompactable, d.Top, d.Limit, d.True, d.False), new { before = finishedBefore, limit = batchSize });
            var deleted = 0;
            foreach (var stepId in stepIds)
            {
                var n = await w.ExecuteAsync(d.DeleteBatch("prov_events", "step_id = @stepId AND kind = 0"), new { stepId, batch = batchSize - deleted });
                deleted += n;
                if (deleted >= batchSize)
                {
                    break;
                }

                await w.ExecuteAsync(string.Format(CultureInfo.InvariantCulture, MarkCompacted, d.True), new { id = stepId });
            }

            return deleted;
        }, cancellationToken);

    private static async Task<ProvisioningStep> LoadForUpdateAsync(WriteContext w, long stepId) =>
        await w.SingleOrDefaultAsync<ProvisioningStep>($"SELECT {StepColumns} FROM prov_steps {w.Dialect.LockRows} WHERE id = @id {w.Dialect.ForUpdate}", new { id = stepId })
        ?? throw new NotFoundException($"Provisioning step {stepId} does not exist.");

    private static Task InsertChangeAsync(WriteContext w, ProvisioningStep step, ProvisioningEventKind kind, long seq, DateTime now) =>
        w.ExecuteAsync(InsertEvent, new ProvisioningEvent
        {
            ClusterId = step.ClusterId, Seq = seq, StepId = step.Id, Kind = kind, Info = step.StepName,
            Successful = kind == ProvisioningEventKind.StepFinished ? step.Successful : null, CreatedAt = now,
        });
}
