using EventLog.Storage.Provisioning;

namespace EventLog.Server.Services.Provisioning;

/// <summary>
/// Per-watch view of the running steps of a cluster and when each last had an event, so an idle watch can tell
/// when a step becomes stalled (a fact that is not a stream row: it follows from the absence of rows).
/// </summary>
internal sealed class StallTracker(TimeSpan stallAfter)
{
    private readonly Dictionary<long, Entry> _running = [];

    /// <summary>Records a step's state as sent; <paramref name="sentStalled"/> is whether it was sent as stalled.</summary>
    public void Update(ProvisioningStep step, bool sentStalled)
    {
        if (step.StartedAt is null || step.FinishedAt is not null)
        {
            _running.Remove(step.Id);
            return;
        }

        var last = step.LastEventAt ?? step.StartedAt.Value;
        _running[step.Id] = new Entry(last, sentStalled);
    }

    /// <summary>An event of a running step was sent: the step is live again.</summary>
    public void Touch(long stepId, DateTime at)
    {
        if (_running.TryGetValue(stepId, out var entry) && at >= entry.LastActivity)
        {
            _running[stepId] = new Entry(at, false);
        }
    }

    /// <summary>When the next unreported step becomes stalled, or null when none can.</summary>
    public DateTime? NextDue() => _running.Values.Where(e => !e.Reported).Select(e => (DateTime?)(e.LastActivity + stallAfter)).Min();

    /// <summary>Steps stalled at <paramref name="now"/> and not yet reported as such.</summary>
    public IReadOnlyList<long> Due(DateTime now) =>
        [.. _running.Where(p => !p.Value.Reported && now - p.Value.LastActivity > stallAfter).Select(p => p.Key)];

    private readonly record struct Entry(DateTime LastActivity, bool Reported);
}
