using System.Globalization;
using Dapper;
using EventLog.Storage.Core;

namespace EventLog.Storage.Provisioning;

internal sealed partial class ProvisioningRepository(StorageDatabase database, TimeProvider clock) : IProvisioningRepository
{
    private const string StepColumns = """
        id, cluster_id, project, step_name, step_type, ordinal, total, completed, failed, successful, compacted,
        created_at, started_at, finished_at, last_event_at
        """;

    private const string EventColumns = """
        id, cluster_id, seq, step_id, kind, node_group, instance_id, instance_name, info, successful, error_id, created_at, node
        """;

    private const string InsertEvent = """
        INSERT INTO prov_events (cluster_id, seq, step_id, kind, node_group, instance_id, instance_name, info, successful, error_id, created_at, node)
        VALUES (@ClusterId, @Seq, @StepId, @Kind, @NodeGroup, @InstanceId, @InstanceName, @Info, @Successful, @ErrorId, @CreatedAt, @Node)
        """;

    private const string SelectStepById = $"SELECT {StepColumns} FROM prov_steps WHERE id = @id";

    private const string SelectSteps = $"SELECT {StepColumns} FROM prov_steps WHERE cluster_id = @clusterId ORDER BY ordinal";

    private const string SelectStepEvents = $"""
        SELECT {EventColumns} FROM prov_events WHERE step_id = @stepId AND kind = 0 ORDER BY id
        """;

    private const string SelectLastSeq = "SELECT last_seq FROM streams WHERE stream_key = @key";

    private const string SelectStream = $$"""
        SELECT {0} {{EventColumns}} FROM prov_events WHERE cluster_id = @clusterId AND seq > @after ORDER BY seq {1}
        """;

    /// <summary>A cluster's instance events after a sequence, with only the filters given (<see cref="InstanceEventFilters"/>).</summary>
    private const string SelectInstanceEvents = $$"""
        SELECT {0} {{EventColumns}} FROM prov_events
        WHERE cluster_id = @clusterId AND seq > @after AND kind = 0{2}
        ORDER BY seq {1}
        """;

    private const string SelectOldest = "SELECT MIN(seq) FROM prov_events WHERE cluster_id = @clusterId";

    private const string SelectStalled = $$"""
        SELECT {0} {{StepColumns}} FROM prov_steps
        WHERE finished_at IS NULL AND started_at IS NOT NULL AND last_event_at < @before
        ORDER BY last_event_at {1}
        """;

    private DateTime Now => database.Now(clock);

    public Task<ProvisioningStep?> GetStepAsync(long stepId, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultAsync<ProvisioningStep>(SelectStepById, new { id = stepId }, cancellationToken);

    public async Task<ProvisioningProgress?> GetProgressAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        // One connection; the stream position is read first so a watcher resuming from it misses nothing.
        await using var conn = await database.OpenReadAsync(cancellationToken);
        var last = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(conn, database.Command(SelectLastSeq, new { key = StreamKeys.Cluster(clusterId) }, cancellationToken)) ?? 0;
        var steps = (await Dapper.SqlMapper.QueryAsync<ProvisioningStep>(conn, database.Command(SelectSteps, new { clusterId }, cancellationToken))).AsList();
        if (steps.Count == 0)
        {
            return null;
        }

        var sorted = steps.OrderBy(s => s.StartedAt ?? DateTime.MaxValue).ThenBy(s => s.Ordinal).ToList();
        var current = sorted.FirstOrDefault(s => s.Successful == false)
            ?? sorted.LastOrDefault(s => s.StartedAt is not null);
        IReadOnlyList<ProvisioningEvent> events = current is null
            ? []
            : (await Dapper.SqlMapper.QueryAsync<ProvisioningEvent>(conn, database.Command(SelectStepEvents, new { stepId = current.Id }, cancellationToken))).AsList();
        return new ProvisioningProgress(sorted, current, events, last);
    }

    public async Task<Page<ProvisioningEvent>> ListEventsAsync(string clusterId, long? stepId, int pageSize, string? pageToken, CancellationToken cancellationToken = default)
    {
        var d = database.Dialect;
        var q = new ListQuery(d, "seq", "id", numericKey: true)
            .Where("cluster_id = @clusterId", "clusterId", clusterId)
            .Where("step_id = @stepId", "stepId", stepId);
        q.After(pageToken, id => long.Parse(id, CultureInfo.InvariantCulture));
        var sql = $"SELECT {d.Top} {EventColumns} FROM prov_events {q.IndexHint} {q.WhereClause} " +
            $"ORDER BY seq DESC, id DESC {d.Limit}";
        var rows = await database.QueryAsync<ProvisioningEvent>(sql, q.Take(pageSize + 1), cancellationToken);
        return q.ToPage(rows, pageSize, e => e.Seq, e => e.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The conditions of the filters that are set. A filter left out is left out of the SQL too, rather than written as
    /// <c>@x IS NULL OR ...</c>: PostgreSQL cannot type a parameter that is only ever null.
    /// </summary>
    private static string InstanceEventFilters(ProvisioningEventFilter filter)
    {
        var where = new System.Text.StringBuilder();
        void And(bool set, string condition)
        {
            if (set)
            {
                where.Append(" AND ").Append(condition);
            }
        }
        And(filter.StepId is not null, "step_id = @stepId");
        And(filter.NodeGroup is not null, "node_group = @nodeGroup");
        And(filter.InstanceId is not null, "instance_id = @instanceId");
        And(filter.Successful is not null, "successful = @successful");
        And(filter.Node is not null, "node = @node");
        And(filter.From is not null, "created_at >= @from");
        And(filter.To is not null, "created_at < @to");
        return where.ToString();
    }

    public async Task<Page<ProvisioningEvent>> ListInstanceEventsAsync(ProvisioningEventFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default)
    {
        // Oldest first by the (cluster_id, seq) index; ListQuery is newest first, so the keyset is written here.
        var hash = PageToken.HashFilters("prov-events", filter.ClusterId, filter.StepId, filter.NodeGroup, filter.InstanceId, filter.Successful, filter.From, filter.To, filter.Node);
        var after = 0L;
        if (!string.IsNullOrEmpty(pageToken))
        {
            after = PageToken.Parse(pageToken, hash).Key;
        }

        var sql = string.Format(CultureInfo.InvariantCulture, SelectInstanceEvents, database.Dialect.Top, database.Dialect.Limit, InstanceEventFilters(filter));
        var rows = await database.QueryAsync<ProvisioningEvent>(sql, new
        {
            clusterId = filter.ClusterId, after, stepId = filter.StepId, nodeGroup = filter.NodeGroup, instanceId = filter.InstanceId,
            successful = filter.Successful, from = filter.From, to = filter.To, node = filter.Node, limit = pageSize + 1,
        }, cancellationToken);
        if (rows.Count <= pageSize)
        {
            return new Page<ProvisioningEvent>(rows, null);
        }

        rows.RemoveRange(pageSize, rows.Count - pageSize);
        return new Page<ProvisioningEvent>(rows, PageToken.Create(hash, rows[^1].Seq, rows[^1].Id.ToString(CultureInfo.InvariantCulture)));
    }

    public async Task<StreamBatch<ProvisioningEvent>> ReadClusterStreamAsync(string clusterId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        var sql = string.Format(CultureInfo.InvariantCulture, SelectStream, database.Dialect.Top, database.Dialect.Limit);
        var rows = await database.QueryAsync<ProvisioningEvent>(sql, new { clusterId, after = afterSequence, limit }, cancellationToken);
        var oldest = await database.ScalarAsync<long?>(SelectOldest, new { clusterId }, cancellationToken);
        return new StreamBatch<ProvisioningEvent>(rows, oldest ?? 0);
    }

    public async Task<IReadOnlyList<ProvisioningStep>> GetStalledStepsAsync(DateTime lastEventBefore, int limit, CancellationToken cancellationToken = default)
    {
        var sql = string.Format(CultureInfo.InvariantCulture, SelectStalled, database.Dialect.Top, database.Dialect.Limit);
        return await database.QueryAsync<ProvisioningStep>(sql, new { before = lastEventBefore, limit }, cancellationToken);
    }
}
