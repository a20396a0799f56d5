using System.Globalization;
using EventLog.Storage.Core;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.Messages;

internal sealed class MessageRepository(StorageDatabase database, TimeProvider clock, IOptions<StorageOptions> options) : IMessageRepository
{
    private const string Columns = """
        id, project, seq, request_id, action_code, detail_code, level, resource_type, resource_uuid, host, user_name,
        created_at, expires_at
        """;

    private const string Insert = $"""
        INSERT INTO messages ({Columns}) VALUES (@Id, @Project, @Seq, @RequestId, @ActionCode, @DetailCode, @Level,
            @ResourceType, @ResourceUuid, @Host, @UserName, @CreatedAt, @ExpiresAt)
        """;

    private const string SelectById = $"SELECT {Columns} FROM messages WHERE id = @id";

    private const string DeleteById = "DELETE FROM messages WHERE id = @id AND (@project IS NULL OR project = @project)";

    private const string SelectStream = $$"""
        SELECT {0} {{Columns}} FROM messages WHERE project = @project AND seq > @after ORDER BY seq {1}
        """;

    private const string SelectOldest = "SELECT MIN(seq) FROM messages WHERE project = @project";

    public Task<UserMessage> CreateAsync(NewUserMessage message, CancellationToken cancellationToken = default)
    {
        var scope = "messages:" + message.Project;
        var ttl = message.Ttl ?? options.Value.Retention.MessageTtl;
        return database.WriteAsync(async w =>
        {
            if (await w.FindIdempotentAsync<UserMessage>(scope, message.IdempotencyKey) is { } existing)
            {
                return existing;
            }

            var now = database.Now(clock);
            var stored = new UserMessage
            {
                Id = Guid.NewGuid(), Project = message.Project, RequestId = message.RequestId, ActionCode = message.ActionCode,
                DetailCode = message.DetailCode, Level = message.Level, ResourceType = message.ResourceType,
                ResourceUuid = message.ResourceUuid, Host = message.Host, UserName = message.UserName, CreatedAt = now,
                ExpiresAt = ttl > TimeSpan.Zero ? now + ttl : null,
                Seq = await w.AllocateAsync(StreamKeys.Messages(message.Project)),
            };
            await w.ExecuteAsync(Insert, stored);
            await w.SaveIdempotentAsync(scope, message.IdempotencyKey, stored, now);
            return stored;
        }, cancellationToken);
    }

    public Task<UserMessage?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultAsync<UserMessage>(SelectById, new { id }, cancellationToken);

    public async Task<Page<UserMessage>> ListAsync(MessageFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default)
    {
        // (project, filter, created_at, id) indexes serve a project's lists; all-project lists walk (created_at, id).
        var admin = filter.Project is null;
        var d = database.Dialect;
        var q = new ListQuery(d, "created_at", "id")
            .Where("project = @project", "project", filter.Project)
            .Where("resource_type = @resourceType", "resourceType", filter.ResourceType, residual: admin)
            .Where("resource_uuid = @resourceUuid", "resourceUuid", filter.ResourceUuid, residual: admin)
            .Where("action_code = @actionCode", "actionCode", filter.ActionCode, residual: admin)
            .Where("detail_code = @detailCode", "detailCode", filter.DetailCode, residual: admin)
            .Where("request_id = @requestId", "requestId", filter.RequestId, residual: admin)
            .Where("level = @level", "level", filter.Level is { } l ? (int?)l : null, residual: admin)
            .Where("host = @host", "host", filter.Host, residual: admin)
            .Where("user_name = @userName", "userName", filter.UserName, residual: admin)
            .Where("created_at >= @from", "from", filter.From)
            .Where("created_at < @to", "to", filter.To);
        q.Index = admin ? null : NewestFirstIndex(filter);
        q.After(pageToken, id => Guid.Parse(id));
        var sql = $"SELECT {d.Top} {Columns} FROM messages {q.IndexHint} {q.WhereClause} " +
            $"ORDER BY created_at DESC, id DESC {d.Limit}";
        var rows = await database.QueryAsync<UserMessage>(sql, q.Take(pageSize + 1), cancellationToken);
        return q.ToPage(rows, pageSize, m => m.CreatedAt, m => m.Id.ToString("D"));
    }

    /// <summary>The (project, filter, created_at, id) index of a project's list: the most selective filter set, else (project, created_at, id).</summary>
    private static string NewestFirstIndex(MessageFilter filter) =>
        !string.IsNullOrEmpty(filter.ResourceUuid) ? "ix_messages_resource_uuid"
        : !string.IsNullOrEmpty(filter.RequestId) ? "ix_messages_request"
        : !string.IsNullOrEmpty(filter.ResourceType) ? "ix_messages_resource_type"
        : !string.IsNullOrEmpty(filter.ActionCode) ? "ix_messages_action"
        : !string.IsNullOrEmpty(filter.DetailCode) ? "ix_messages_detail"
        : !string.IsNullOrEmpty(filter.UserName) ? "ix_messages_user"
        : !string.IsNullOrEmpty(filter.Host) ? "ix_messages_host"
        : filter.Level is not null ? "ix_messages_level"
        : "ix_messages_project";

    public async Task<bool> DeleteAsync(Guid id, string? project, CancellationToken cancellationToken = default) =>
        await database.WriteAsync(w => w.ExecuteAsync(DeleteById, new { id, project }), cancellationToken) > 0;

    public async Task<StreamBatch<UserMessage>> ReadStreamAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        var rows = await ReadStreamRowsAsync(project, afterSequence, limit, cancellationToken);
        var oldest = await database.ScalarAsync<long?>(SelectOldest, new { project }, cancellationToken);
        return new StreamBatch<UserMessage>(rows, oldest ?? 0);
    }

    public async Task<IReadOnlyList<UserMessage>> ReadStreamRowsAsync(string project, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        var sql = string.Format(CultureInfo.InvariantCulture, SelectStream, database.Dialect.Top, database.Dialect.Limit);
        return await database.QueryAsync<UserMessage>(sql, new { project, after = afterSequence, limit }, cancellationToken);
    }

    public Task<int> ReapExpiredAsync(DateTime now, int batchSize, CancellationToken cancellationToken = default)
    {
        var sql = database.Dialect.DeleteBatch("messages", "expires_at < @now");
        return database.WriteAsync(w => w.ExecuteAsync(sql, new { now, batch = batchSize }), cancellationToken);
    }

    public async Task<long> PurgeAsync(MessagePurge purge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(purge);
        if (purge.CreatedBefore is null && purge.ExpiredAt is null)
        {
            throw new ArgumentException("A purge needs a creation cutoff, an expiry time or both.", nameof(purge));
        }

        var sql = database.Dialect.DeleteBatch("messages", PurgeWhere(purge));
        var batch = options.Value.Retention.ReapBatchSize;
        var parameters = new { project = purge.Project, before = purge.CreatedBefore, now = purge.ExpiredAt, batch };
        long total = 0;
        int deleted;
        do
        {
            // One round per transaction, as the reaper does: no statement locks the whole range at once.
            deleted = await database.WriteAsync(w => w.ExecuteAsync(sql, parameters), cancellationToken);
            total += deleted;
        }
        while (deleted == batch);
        return total;
    }

    /// <summary>The purge's condition from allow-listed fragments; its values are the parameters of <see cref="PurgeAsync"/>.</summary>
    private static string PurgeWhere(MessagePurge purge)
    {
        var age = new List<string>(2);
        if (purge.CreatedBefore is not null)
        {
            age.Add("created_at < @before");
        }
        if (purge.ExpiredAt is not null)
        {
            age.Add("expires_at < @now");
        }
        var selected = age.Count == 1 ? age[0] : $"({string.Join(" OR ", age)})";
        return purge.Project is null ? selected : $"project = @project AND {selected}";
    }
}
