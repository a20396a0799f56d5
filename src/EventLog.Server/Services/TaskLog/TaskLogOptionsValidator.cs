
namespace EventLog.Server.Services.TaskLog;

/// <summary>Checks <see cref="TaskLogOptions"/> at startup.</summary>
internal sealed class TaskLogOptionsValidator : IValidateOptions<TaskLogOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskLogOptions options)
    {
        List<string> failures = [];
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add("TaskLog:HeartbeatInterval must be positive.");
        }

        if (options.MaxAppendBatchLines <= 0 || options.MaxAppendBatchBytes <= 0)
        {
            failures.Add("TaskLog:MaxAppendBatchLines and TaskLog:MaxAppendBatchBytes must be positive.");
        }

        if (options.TailBatchLines <= 0 || options.ExportBatchEntries <= 0 || options.MaxParams <= 0 || options.MaxParamValueLength <= 0)
        {
            failures.Add("TaskLog:TailBatchLines, ExportBatchEntries, MaxParams and MaxParamValueLength must be positive.");
        }

        if (options.FollowLinger < TimeSpan.Zero || options.FollowLinger > TimeSpan.FromSeconds(1))
        {
            failures.Add("TaskLog:FollowLinger must be between 0 and 1 second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
