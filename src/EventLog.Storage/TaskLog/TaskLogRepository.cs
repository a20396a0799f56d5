using EventLog.Storage.Core;

namespace EventLog.Storage.TaskLog;

internal sealed partial class TaskLogRepository(StorageDatabase database, TimeProvider clock) : ITaskLogRepository
{
    private DateTime Now => database.Now(clock);
}
