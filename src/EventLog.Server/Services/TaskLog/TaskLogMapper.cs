using EventLog.Server.Catalog;
using EventLog.Storage.TaskLog;
using Google.Protobuf.WellKnownTypes;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

/// <summary>Maps stored request entries and tasks to their proto messages, rendering text from the catalog.</summary>
public static class TaskLogMapper
{
    /// <summary>Storage kind text ↔ proto kind (HTTP methods and TASK).</summary>
    private static readonly Dictionary<string, Proto.RequestKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GET"] = Proto.RequestKind.Get, ["HEAD"] = Proto.RequestKind.Head, ["POST"] = Proto.RequestKind.Post,
        ["PUT"] = Proto.RequestKind.Put, ["PATCH"] = Proto.RequestKind.Patch, ["DELETE"] = Proto.RequestKind.Delete,
        ["OPTIONS"] = Proto.RequestKind.Options, [TaskStatusCodes.TaskKind] = Proto.RequestKind.Task,
    };

    /// <summary>The stored text of a kind ("POST", "TASK").</summary>
    public static string KindText(Proto.RequestKind kind) => kind == Proto.RequestKind.Task
        ? TaskStatusCodes.TaskKind
        : kind.ToString().ToUpperInvariant();

    /// <summary>A stored entry as sent, with its message rendered in <paramref name="locale"/>.</summary>
    public static Proto.RequestEntry ToProto(RequestLogEntry e, MessageCatalog catalog, string? locale)
    {
        var messageParams = ParamsJson.Parse(e.MessageParams);
        var detailParams = ParamsJson.Parse(e.DetailParams);
        var entry = new Proto.RequestEntry
        {
            Sequence = e.Id, Project = e.Project, Time = Timestamps.FromStored(e.OccurredAt), TimeZone = e.Zone == "UTC" ? "" : e.Zone,
            Kind = Kinds.GetValueOrDefault(e.Kind), User = e.UserName, ClientIp = e.ClientIp, Status = e.Status, App = e.App,
            MessageCode = e.MessageCode, DetailCode = e.DetailCode ?? "", RequestId = e.RequestId ?? "", TaskId = e.TaskId ?? 0,
            Node = e.Node ?? "",
            Outcome = e.Outcome == RequestOutcome.Unknown ? OutcomeOfStatus(e) : (Proto.RequestOutcome)(int)e.Outcome,
            Message = catalog.RenderRequest(e.App, e.MessageCode, messageParams, e.DetailCode, detailParams, locale),
        };
        entry.MessageParams.Add(messageParams);
        entry.DetailParams.Add(detailParams);
        return entry;
    }

    /// <summary>A stored task as sent; <paramref name="now"/> measures the run time of a running task.</summary>
    public static Proto.AsyncTask ToProto(TaskInfo t, MessageCatalog catalog, string? locale, DateTime now)
    {
        var detailParams = ParamsJson.Parse(t.DetailParams);
        var task = new Proto.AsyncTask
        {
            Id = t.Id, Project = t.Project, App = t.App, TargetUri = t.TargetUri, SpawningRequestId = t.RequestId ?? "",
            State = (Proto.TaskState)(int)t.State, CancelRequested = t.CancelRequested && !t.IsFinished,
            ProgressPercent = t.ProgressPercent, ProgressMessage = t.ProgressMessage ?? "", CreatedAt = Timestamps.FromStored(t.CreatedAt),
            StartedAt = t.StartedAt is { } s ? Timestamps.FromStored(s) : null, FinishedAt = t.FinishedAt is { } f ? Timestamps.FromStored(f) : null,
            Duration = t.GetDuration(now) is { } d ? Duration.FromTimeSpan(d < TimeSpan.Zero ? TimeSpan.Zero : d) : null,
            LineCount = t.LineCount, DetailCode = t.DetailCode ?? "", Version = t.Version,
            DetailMessage = string.IsNullOrEmpty(t.DetailCode) ? "" : catalog.RenderDetail(t.DetailCode, detailParams, locale),
        };
        task.DetailParams.Add(detailParams);
        return task;
    }

    /// <summary>Storage state of a proto state filter (null = any).</summary>
    public static Storage.TaskLog.TaskState? ToStorage(Proto.TaskState state) =>
        state == Proto.TaskState.Unspecified ? null : (Storage.TaskLog.TaskState)(int)state;

    /// <summary>Storage outcome of a proto outcome filter (null = any).</summary>
    public static RequestOutcome? ToStorage(Proto.RequestOutcome outcome) =>
        outcome == Proto.RequestOutcome.Unspecified ? null : (RequestOutcome)(int)outcome;


    private static Proto.RequestOutcome OutcomeOfStatus(RequestLogEntry e) => e.Status switch
    {
        TaskStatusCodes.Failed => Proto.RequestOutcome.Failed,
        TaskStatusCodes.Cancelled => Proto.RequestOutcome.Cancelled,
        >= 400 and < 1000 => Proto.RequestOutcome.Failed,
        _ => Proto.RequestOutcome.Succeeded,
    };
}
