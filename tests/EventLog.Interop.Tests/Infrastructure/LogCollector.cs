using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EventLog.Interop.Tests.Infrastructure;

/// <summary>
/// Keeps the server's warning and error logs, so a test can assert that what a peer sent (even a
/// malformed request) never made the server log an error (grpc-dotnet's VerifyNoErrorsScope).
/// </summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _warnings = new();

    /// <summary>Error and critical entries, formatted.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Warning entries, formatted.</summary>
    public IReadOnlyCollection<string> Warnings => _warnings;

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var entry = $"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}";
            (logLevel >= LogLevel.Error ? owner._errors : owner._warnings).Enqueue(entry);
        }
    }
}
