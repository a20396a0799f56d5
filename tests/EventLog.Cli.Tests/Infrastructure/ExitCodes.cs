namespace EventLog.Cli.Tests.Infrastructure;

/// <summary>The CLI's documented exit codes (clients/README.md).</summary>
public static class ExitCodes
{
    public const int Invalid = 2;
    public const int NotFound = 3;
    public const int Unavailable = 4;
    public const int OperationFailed = 5;
    public const int Unauthorized = 6;
}
