namespace EventLog.Cli;

/// <summary>Process exit codes, so scripts can tell outcomes apart.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Any other error.</summary>
    public const int Error = 1;

    /// <summary>Invalid input: bad arguments, or the server rejected the request (INVALID_ARGUMENT, FAILED_PRECONDITION...).</summary>
    public const int Invalid = 2;

    /// <summary>The task, message, cluster or log does not exist (or belongs to another project).</summary>
    public const int NotFound = 3;

    /// <summary>The server (or the instance's agent) could not be reached, or did not answer in time.</summary>
    public const int Unavailable = 4;

    /// <summary>What was waited for ended badly: the task failed or was cancelled, a provisioning step failed.</summary>
    public const int OperationFailed = 5;

    /// <summary>The token is missing, unknown or lacks the role.</summary>
    public const int Unauthorized = 6;

    /// <summary>Interrupted (Ctrl-C, SIGINT or SIGTERM): 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;

    public const string Help = """
        Exit codes: 0 success, 1 error, 2 invalid input, 3 not found, 4 server or agent unavailable,
        5 the awaited task or operation failed, 6 missing or insufficient token, 130 interrupted (Ctrl-C).
        """;
}
