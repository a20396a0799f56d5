using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>
/// Calls every method of the public storage interfaces, resolved from the real registrations, against a
/// <see cref="RecordingSqlServer"/>: lists with every filter shape (<see cref="FilterShapes"/>) and both their first
/// and a continued page, writes once down each branch, steered by the sample rows set before the call. Calls go
/// through <see cref="CallRecorder{T}"/>, so the test can tell which methods ran.
/// </summary>
internal sealed partial class StorageExercise(RecordingSqlServer server, IServiceProvider services)
{
    private const string Project = FilterShapes.Text;
    private const long Id = 7;
    private static readonly DateTime Now = FilterShapes.Time;

    private readonly HashSet<MethodInfo> _called = [];
    private readonly HashSet<Type> _reapersRun = [];
    private readonly List<Exception> _failures = [];

    /// <summary>The interface methods called so far.</summary>
    public IReadOnlyCollection<MethodInfo> Called
    {
        get
        {
            lock (_called)
            {
                return [.. _called];
            }
        }
    }

    /// <summary>The types of the reapers whose round ran.</summary>
    public IReadOnlyCollection<Type> ReapersRun => _reapersRun;

    /// <summary>What the calls threw: a text the server could not parse gets no rows, and its caller fails.</summary>
    public IReadOnlyList<Exception> Failures => _failures;

    public async Task RunAsync(CancellationToken ct)
    {
        // Every stream stands at 5: a wait from 0 ends at its first read.
        server.SetRow("streams", new StreamRow(LastSeq: 5, Touches: 1));
        await MigrationsAsync(ct);
        await TaskLogAsync(ct);
        await MessagesAsync(ct);
        await ProvisioningAsync(ct);
        await GuestLogsAsync(ct);
        await AgentCommandsAsync(ct);
        await ChangesAsync(ct);
        await ReapersAsync(ct);
    }

    /// <summary>Makes one call, keeping what it throws: the calls after it still run, so one bad text hides no other.</summary>
    private async Task Call(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e)
        {
            _failures.Add(e);
        }
    }

    private T Get<T>()
        where T : class => CallRecorder<T>.Wrap(services.GetRequiredService<T>(), _called);

    /// <summary>Lists a first page of one row (the server returns two, so it has a token), then the page after it.</summary>
    private static async Task BothPagesAsync<T>(Func<string?, Task<Page<T>>> list)
    {
        var first = await list(null);
        var token = first.NextPageToken ?? throw new InvalidOperationException("A first page of one row out of two issued no token.");
        await list(token);
    }

    private async Task MigrationsAsync(CancellationToken ct)
    {
        // No schema_version rows: the runner applies every script, batch by batch, and records each.
        var migrator = Get<IStorageMigrator>();
        await Call(() => migrator.MigrateAsync(ct));
        await Call(() => migrator.GetAppliedVersionsAsync(ct));
        await Call(() => Get<IStorageProbe>().ProbeAsync(ct));
    }

    private async Task ChangesAsync(CancellationToken ct)
    {
        var notifier = Get<IChangeNotifier>();
        const string key = "messages:" + Project;
        var wait = TimeSpan.FromSeconds(5);
        await Call(() => notifier.GetLastSequenceAsync(key, ct));
        await Call(() => notifier.GetPositionAsync(key, ct));
        await Call(() => notifier.WaitForChangeAsync(key, 0, ct));
        await Call(() => notifier.WaitForChangeAsync(key, 0, wait, ct));
        await Call(() => notifier.WaitForChangeAsync(key, new StreamPosition(0, 0), wait, ct));
        await Call(() => notifier.WaitForAnyChangeAsync([(key, 0)], wait, ct));
    }

    private async Task ReapersAsync(CancellationToken ct)
    {
        foreach (var reaper in services.GetServices<IReaper>())
        {
            _reapersRun.Add(reaper.GetType());
            await Call(() => reaper.ReapRoundAsync(Now, batchSize: 10, ct));
        }
    }

    private sealed record StreamRow(long LastSeq, long Touches);
}
