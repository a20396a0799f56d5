using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EventLog.Tests.Shared;

/// <summary>One collected log entry: its message, and the structured properties of its state and its scopes.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Properties)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message}{(Exception is null ? "" : " " + Exception)}";
}

/// <summary>
/// Keeps every log entry an in-process server writes, with its scopes, so tests can assert on what was logged
/// and the host can fail a test whose server logged an error nobody expected.
/// </summary>
public sealed class LogSink : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>The entries written so far.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <inheritdoc/>
    public void Dispose()
    {
        // The entries outlive the host: a test reads them after a stop, and the error check runs after dispose.
    }

    private sealed class Logger(LogSink owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope(
                static (scope, props) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            props[key] = value;
                        }
                    }
                },
                properties);
            // The entry's own properties win over a scope's of the same name.
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    properties[key] = value;
                }
            }
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception, properties));
        }
    }
}
