using System.Globalization;
using EventLog.V1;

namespace EventLog.Cli.Output;

/// <summary>
/// Progress bars per provisioning step. On a terminal the block is redrawn in place; when the output is
/// redirected, a line is printed per change of a step, so logs and tests can read it.
/// </summary>
internal sealed class ProgressView(TextWriter output, bool json, bool live)
{
    private const int BarWidth = 30;
    private readonly Dictionary<string, ProvisionStep> _steps = new(StringComparer.Ordinal);
    // Events are not always followed by a step message with new counts, so counts also follow the events:
    // completed = max(the step's own count, its count in the snapshot + events seen since).
    private readonly Dictionary<string, long> _snapshotCompleted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _eventsSince = new(StringComparer.Ordinal);
    private int _drawnLines;

    /// <summary>True once every declared step succeeded, or one failed.</summary>
    public bool Ended => _steps.Count > 0 && (Failed || _steps.Values.All(s => s.Successful == true));

    private bool Failed => _steps.Values.Any(s => s.Successful == false);

    public void Load(GetProgressResponse snapshot)
    {
        _steps.Clear();
        _snapshotCompleted.Clear();
        _eventsSince.Clear();
        foreach (var step in snapshot.Steps)
        {
            _steps[step.Id] = step;
            _snapshotCompleted[step.Id] = step.Completed;
        }
        if (json)
        {
            Json.WriteLine(output, snapshot);
        }
        else if (live)
        {
            Redraw();
        }
        else
        {
            foreach (var step in Ordered())
            {
                output.WriteLine(Bar(step));
            }
        }
        output.Flush();
    }

    public void Apply(WatchProgressResponse update)
    {
        var changed = update.UpdateCase switch
        {
            WatchProgressResponse.UpdateOneofCase.Step => ApplyStep(update.Step),
            WatchProgressResponse.UpdateOneofCase.Event => ApplyEvent(update.Event),
            _ => null,
        };
        if (json)
        {
            Json.WriteLine(output, update);
        }
        else if (changed is not null)
        {
            if (live)
            {
                Redraw();
            }
            else
            {
                if (update.Event is { Successful: false } failed)
                {
                    output.WriteLine($"  event: {failed.InstanceName} ({failed.InstanceId}) FAILED: {failed.Info} {failed.ErrorId}".TrimEnd());
                }
                output.WriteLine(Bar(changed));
            }
        }
        output.Flush();
    }

    private ProvisionStep ApplyStep(ProvisionStep step)
    {
        _steps[step.Id] = step;
        return Counted(step);
    }

    private ProvisionStep? ApplyEvent(ProvisionEvent recorded)
    {
        if (!_steps.TryGetValue(recorded.StepId, out var step))
        {
            return null;
        }
        _eventsSince[step.Id] = _eventsSince.GetValueOrDefault(step.Id) + 1;
        if (!recorded.Successful && step.Successful is null)
        {
            // The first failed event fails the step.
            step = step.Clone();
            step.Successful = false;
            _steps[step.Id] = step;
        }
        return Counted(step);
    }

    private ProvisionStep Counted(ProvisionStep step)
    {
        var seen = _snapshotCompleted.GetValueOrDefault(step.Id) + _eventsSince.GetValueOrDefault(step.Id);
        if (seen <= step.Completed)
        {
            return step;
        }
        var counted = step.Clone();
        counted.Completed = seen;
        return counted;
    }

    /// <summary>Prints the outcome and returns the exit code.</summary>
    public int Finish()
    {
        var failed = Failed;
        if (!json)
        {
            var failedStep = Ordered().FirstOrDefault(s => s.Successful == false);
            output.WriteLine(failed ? $"Operation failed at step '{failedStep?.Name}'." : "Operation completed.");
            output.Flush();
        }
        return failed ? ExitCodes.OperationFailed : ExitCodes.Success;
    }

    private IEnumerable<ProvisionStep> Ordered() => _steps.Values.OrderBy(s => s.StepType).ThenBy(s => s.PlanIndex).Select(Counted);

    private void Redraw()
    {
        if (_drawnLines > 0)
        {
            output.Write($"\u001b[{_drawnLines}A");
        }
        var lines = Ordered().Select(Bar).ToList();
        foreach (var line in lines)
        {
            output.Write("\u001b[2K");
            output.WriteLine(line);
        }
        _drawnLines = lines.Count;
    }

    internal static string Bar(ProvisionStep step)
    {
        var status = Format.StepStatus(step);
        double fraction = step.Total > 0 ? Math.Clamp((double)step.Completed / step.Total, 0, 1) : step.Successful == true ? 1 : 0;
        var filled = (int)Math.Round(fraction * BarWidth);
        var bar = new string('#', filled) + new string('-', BarWidth - filled);
        var count = step.Total > 0 ? $"{step.Completed}/{step.Total}" : $"{step.Completed}/?";
        var percent = ((int)Math.Round(fraction * 100)).ToString(CultureInfo.InvariantCulture).PadLeft(3);
        var duration = Format.Duration(step.Duration);
        return $"{step.Name,-28} [{bar}] {percent}% {count,-11} {status}{(duration.Length > 0 ? " " + duration : "")}";
    }
}
