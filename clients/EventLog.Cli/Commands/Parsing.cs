using System.CommandLine;
using System.Globalization;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;

namespace EventLog.Cli.Commands;

/// <summary>Options shared by several commands and the conversions of their values.</summary>
internal static class Parsing
{
    public static readonly string[] TaskStates = ["queued", "running", "succeeded", "failed", "cancelled"];
    public static readonly string[] RequestKinds = ["get", "head", "post", "put", "patch", "delete", "options", "task"];
    public static readonly string[] Outcomes = ["pending", "succeeded", "failed", "cancelled"];
    public static readonly string[] Levels = ["error", "warning", "info"];

    public static Option<string?> Choice(string name, string description, string[] choices)
    {
        var option = new Option<string?>(name) { Description = $"{description} ({string.Join(", ", choices)})" };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }

    public static Option<string?> Since() => new("--since") { Description = "Only from this time on: ISO 8601 (2016-08-12T11:49:55Z) or an age such as 30m, 2h, 7d" };

    public static Option<string?> Until() => new("--until") { Description = "Only before this time: ISO 8601 or an age such as 30m, 2h, 7d" };

    /// <summary>The <c>--format</c> of an export: JSON Lines (default) or CSV.</summary>
    public static Option<string?> Format()
    {
        var option = Choice("--format", "Output format: JSON Lines (one JSON object per line) or CSV with a header row", EventLog.Cli.Output.Export.Formats);
        option.DefaultValueFactory = _ => EventLog.Cli.Output.Export.JsonLines;
        return option;
    }

    /// <summary>The <c>--output</c> file of an export.</summary>
    public static Option<string?> OutputFile() => new("--output", "-o") { Description = "Write to this file instead of standard output" };

    public static Option<int> Limit(int defaultValue, string what) => new("--limit", "-n")
    {
        Description = $"How many {what} at most; 0 for all",
        DefaultValueFactory = _ => defaultValue,
    };

    public static TimeRange? Range(string? since, string? until)
    {
        if (since is null && until is null)
        {
            return null;
        }
        return new TimeRange { StartTime = Time(since, "--since"), EndTime = Time(until, "--until") };
    }

    public static Timestamp? Time(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (value.Length > 1 && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            TimeSpan? age = char.ToLowerInvariant(value[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } ago)
            {
                return Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow - ago);
            }
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
        {
            return Timestamp.FromDateTimeOffset(time);
        }
        throw new UsageException($"{option} '{value}' is neither an ISO 8601 time nor an age such as 30m, 2h or 7d.");
    }

    /// <summary>A duration such as 90s, 10m, 1h, 2d or 00:10:00; null stays null.</summary>
    public static TimeSpan? Duration(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (value.Length > 1 && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (char.ToLowerInvariant(value[^1]))
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
            }
        }
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }
        throw new UsageException($"{option} '{value}' is not a duration such as 90s, 10m or 1h.");
    }

    public static TaskState TaskState(string? value) => value switch
    {
        null => V1.TaskState.Unspecified,
        "queued" => V1.TaskState.Queued,
        "running" => V1.TaskState.Running,
        "succeeded" => V1.TaskState.Succeeded,
        "failed" => V1.TaskState.Failed,
        "cancelled" => V1.TaskState.Cancelled,
        _ => throw new UsageException($"Unknown state '{value}'."),
    };

    public static RequestKind Kind(string? value) => value is null
        ? RequestKind.Unspecified
        : System.Enum.Parse<RequestKind>(value, ignoreCase: true);

    public static RequestOutcome Outcome(string? value) => value is null
        ? RequestOutcome.Unspecified
        : System.Enum.Parse<RequestOutcome>(value, ignoreCase: true);

    public static MessageLevel Level(string? value) => value is null
        ? MessageLevel.Unspecified
        : System.Enum.Parse<MessageLevel>(value, ignoreCase: true);

    /// <summary>Takes at most <paramref name="limit"/> items (0 = all).</summary>
    public static async Task<List<T>> TakeAsync<T>(IAsyncEnumerable<T> items, int limit, CancellationToken cancellationToken)
    {
        if (limit < 0)
        {
            throw new UsageException("--limit must not be negative.");
        }
        var list = new List<T>();
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
            if (limit > 0 && list.Count >= limit)
            {
                break;
            }
        }
        return list;
    }
}
