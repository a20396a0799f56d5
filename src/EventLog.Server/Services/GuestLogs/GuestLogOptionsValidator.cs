
namespace EventLog.Server.Services.GuestLogs;

/// <summary>Checks <see cref="GuestLogOptions"/> at startup.</summary>
internal sealed class GuestLogOptionsValidator : IValidateOptions<GuestLogOptions>
{
    /// <summary>Chunks and lines travel in one message each; stay well under the 4 MiB message limit.</summary>
    private const int MaxChunkBytes = 3 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, GuestLogOptions options)
    {
        List<string> failures = [];
        if (options.ChunkLimitBytes is < 1024 or > MaxChunkBytes)
        {
            failures.Add($"GuestLogs:ChunkLimitBytes must be between 1024 and {MaxChunkBytes} (was {options.ChunkLimitBytes}).");
        }

        if (options.MaxLineBytes < options.ChunkLimitBytes || options.MaxLineBytes > MaxChunkBytes)
        {
            failures.Add($"GuestLogs:MaxLineBytes must be between ChunkLimitBytes and {MaxChunkBytes} (was {options.MaxLineBytes}).");
        }

        if (options.PublishBatchBytes < options.ChunkLimitBytes)
        {
            failures.Add("GuestLogs:PublishBatchBytes must be at least ChunkLimitBytes.");
        }

        if (options.PublishWait <= TimeSpan.Zero || options.CommandTtl <= TimeSpan.Zero || options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add("GuestLogs:PublishWait, CommandTtl and HeartbeatInterval must be positive.");
        }

        if (options.MaxPendingCommands <= 0 || options.ReadBatchChunks <= 0)
        {
            failures.Add("GuestLogs:MaxPendingCommands and ReadBatchChunks must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
