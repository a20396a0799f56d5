using EventLog.Storage.GuestLogs;
using EventLog.Storage.Messages;
using EventLog.Storage.Provisioning;
using EventLog.Storage.TaskLog;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.Core;

internal sealed class MessageReaper(IMessageRepository repository) : IReaper
{
    public string Name => "messages";
    public bool Enabled => true;
    public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct) => repository.ReapExpiredAsync(now, batchSize, ct);
}

internal sealed class TaskReaper(ITaskLogRepository repository, IOptions<StorageOptions> options) : IReaper
{
    public string Name => "tasks";
    public bool Enabled => options.Value.Retention.TaskRetention > TimeSpan.Zero;
    public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct) =>
        repository.ReapTasksAsync(now - options.Value.Retention.TaskRetention, batchSize, ct);
}

internal sealed class RequestLogReaper(ITaskLogRepository repository, IOptions<StorageOptions> options) : IReaper
{
    public string Name => "request-log";
    public bool Enabled => options.Value.Retention.RequestLogRetention > TimeSpan.Zero;
    public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct) =>
        repository.ReapRequestsAsync(now - options.Value.Retention.RequestLogRetention, batchSize, ct);
}

internal sealed class GuestLogChunkReaper(IGuestLogRepository repository) : IReaper
{
    public string Name => "guest-log-chunks";
    public bool Enabled => true;
    public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct) => repository.ReapExpiredChunksAsync(now, batchSize, ct);
}

internal sealed class AgentCommandReaper(IAgentCommandRepository repository) : IReaper
{
    public string Name => "agent-commands";
    public bool Enabled => true;
    public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct) => repository.ReapExpiredAsync(now, batchSize, ct);
}

internal sealed class ProvisioningCompactor(IProvisioningRepository repository, IOptions<StorageOptions> options) : IReaper
{
    public string Name => "provisioning-events";
    public bool Enabled => options.Value.Retention.ProvisioningCompactionDelay > TimeSpan.Zero;
    public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct) =>
        repository.CompactAsync(now - options.Value.Retention.ProvisioningCompactionDelay, batchSize, ct);
}

internal sealed class IdempotencyReaper(StorageDatabase database, IOptions<StorageOptions> options) : IReaper
{
    public string Name => "idempotency-keys";
    public bool Enabled => options.Value.Retention.IdempotencyRetention > TimeSpan.Zero;

    public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct)
    {
        var sql = database.Dialect.DeleteBatch("idempotency_keys", "created_at < @cutoff");
        var cutoff = now - options.Value.Retention.IdempotencyRetention;
        return database.WriteAsync(w => w.ExecuteAsync(sql, new { cutoff, batch = batchSize }), ct);
    }
}
