using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using EventLog.Storage;
using EventLog.Storage.TaskLog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Benchmarks.TaskLog;

/// <summary>
/// Wraps the server's <see cref="ITaskLogRepository"/> to time-stamp commits: an append's task completes right after
/// its transaction committed and woke the followers (whose continuations run asynchronously), before the server
/// writes the response. So the time stamp is the commit, taken inside the server process the benchmark runs in.
/// The proxy adds one reflection call per repository call, well under a microsecond against milliseconds of SQLite.
/// </summary>
public class CommitProbe : DispatchProxy
{
    private ITaskLogRepository _inner = null!;
    private ConcurrentDictionary<(long TaskId, long Line), long> _committedAt = null!;

    /// <summary>Replaces the registered repository with a probe around it; returns where commit times are recorded.</summary>
    public static ConcurrentDictionary<(long TaskId, long Line), long> Install(IServiceCollection services)
    {
        var original = services.Single(d => d.ServiceType == typeof(ITaskLogRepository));
        var implementation = original.ImplementationType ?? throw new InvalidOperationException("ITaskLogRepository is not registered by type.");
        var committedAt = new ConcurrentDictionary<(long, long), long>();
        services.Replace(ServiceDescriptor.Singleton<ITaskLogRepository>(sp =>
        {
            var proxy = Create<ITaskLogRepository, CommitProbe>();
            var probe = (CommitProbe)(object)proxy;
            probe._inner = (ITaskLogRepository)ActivatorUtilities.CreateInstance(sp, implementation);
            probe._committedAt = committedAt;
            return proxy;
        }));
        return committedAt;
    }

    /// <inheritdoc/>
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        object? result;
        try
        {
            result = targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        if (targetMethod.Name == nameof(ITaskLogRepository.AppendLinesAtAsync) && result is Task<LineRange> append)
        {
            var taskId = (long)args![0]!;
            append.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    var at = Stopwatch.GetTimestamp();
                    for (var line = t.Result.First; line <= t.Result.Last; line++)
                    {
                        _committedAt[(taskId, line)] = at;
                    }
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return result;
    }
}
