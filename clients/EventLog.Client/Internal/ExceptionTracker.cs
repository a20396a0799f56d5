using System.Runtime.ExceptionServices;

namespace EventLog.Client.Internal;

/// <summary>
/// Remembers the last exception thrown in the code flow of a <see cref="TaskScope"/>, so that
/// <c>await using</c> disposal (which cannot see the exception leaving the block) can fail the task with
/// it. The marker lives in an <see cref="AsyncLocal{T}"/> set on the caller's flow, so exceptions of other
/// flows are never attributed to the scope.
/// </summary>
internal sealed class ExceptionTracker
{
    private static readonly AsyncLocal<ExceptionTracker?> Current = new();
    private volatile Exception? _last;
    private volatile bool _closed;

    static ExceptionTracker()
    {
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
    }

    private ExceptionTracker(ExceptionTracker? parent) => Parent = parent;

    public ExceptionTracker? Parent { get; }

    /// <summary>The last exception thrown in the scope's flow since it began, or null.</summary>
    public Exception? Last => _last;

    /// <summary>Starts tracking in the caller's flow. Must be called from a method that is not <c>async</c>.</summary>
    public static ExceptionTracker Begin()
    {
        var tracker = new ExceptionTracker(Current.Value);
        Current.Value = tracker;
        return tracker;
    }

    /// <summary>Stops tracking; the marker stays in the flow but records nothing more.</summary>
    public void Close() => _closed = true;

    /// <summary>Runs <paramref name="action"/> with no tracker in its flow (for the scope's own background work).</summary>
    public static Task RunUntracked(Func<Task> action)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(action);
        }
    }

    private static void OnFirstChance(object? sender, FirstChanceExceptionEventArgs e)
    {
        for (var tracker = Current.Value; tracker is not null; tracker = tracker.Parent)
        {
            if (!tracker._closed)
            {
                tracker._last = e.Exception;
                return;
            }
        }
    }
}
