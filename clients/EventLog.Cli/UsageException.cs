namespace EventLog.Cli;

/// <summary>An argument is unusable; reported with exit code 2 before anything is sent.</summary>
internal sealed class UsageException(string message) : Exception(message);
