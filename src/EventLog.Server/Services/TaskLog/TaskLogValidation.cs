using System.Net;
using EventLog.Server.Catalog;
using EventLog.Storage.TaskLog;
using Google.Protobuf.Collections;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

/// <summary>Checks the requests of the TaskLog RPCs; every failure names its field.</summary>
public static class TaskLogValidation
{
    /// <summary>A task id a request names: it must be set.</summary>
    public static long TaskId(long taskId, string field)
    {
        if (taskId <= 0)
        {
            Errors.InvalidArgument(field, "is required and must be positive");
        }

        return taskId;
    }

    /// <summary>The storage request of a StartTask call in <paramref name="project"/>.</summary>
    public static StartTaskRequest StartTask(Proto.StartTaskRequest request, string project) => new()
    {
        Project = project,
        App = RequestChecks.Required(request.App, "app", FieldLimits.Code),
        TargetUri = RequestChecks.Required(request.TargetUri, "target_uri", FieldLimits.Uri),
        RequestId = RequestChecks.Optional(request.SpawningRequestId, "spawning_request_id"),
        Queued = request.Queued,
        IdempotencyKey = RequestChecks.Optional(request.RequestId, "request_id"),
    };

    /// <summary>The progress message of a ReportTaskProgress call, secrets scrubbed; the percent must be 0 to 100.</summary>
    public static string? Progress(Proto.ReportTaskProgressRequest request)
    {
        if (request.ProgressPercent is < 0 or > 100)
        {
            Errors.InvalidArgument("progress_percent", "must be between 0 and 100");
        }

        return SecretScrubber.Scrub(RequestChecks.Optional(request.ProgressMessage, "progress_message", FieldLimits.Path));
    }

    /// <summary>The detail code of a FailTask call and its parameters as stored JSON (null when none).</summary>
    public static (string Code, string? Params) Failure(Proto.FailTaskRequest request, CatalogTable messages, TaskLogOptions options) =>
        (RequestChecks.Code(request.DetailCode, "detail_code", messages.Contains)!,
            ParamsJson.Serialize(Params(request.DetailParams, "detail_params", options), nullWhenEmpty: true));

    /// <summary>An optional BCP 47 locale tag that picks the language of rendered messages; null when empty.</summary>
    public static string? Locale(string? value) => RequestChecks.Locale(value);

    /// <summary>The target URI and optional app of a GetActiveTask or GetLastTask call.</summary>
    public static (string Target, string? App) Target(string targetUri, string app) =>
        (RequestChecks.Required(targetUri, "target_uri", FieldLimits.Uri), RequestChecks.Optional(app, "app", FieldLimits.Code));

    /// <summary>The storage filter of a ListTasks call for <paramref name="project"/> (null: every project).</summary>
    public static TaskFilter TaskFilter(Proto.ListTasksRequest request, string? project)
    {
        RequestChecks.DefinedEnum(request.State, "state", allowUnspecified: true);
        var (from, to) = RequestChecks.Range(request.Created, "created");
        return new TaskFilter
        {
            Project = project, State = TaskLogMapper.ToStorage(request.State), App = RequestChecks.Optional(request.App, "app", FieldLimits.Code),
            TargetPrefix = RequestChecks.Optional(request.TargetUriPrefix, "target_uri_prefix", FieldLimits.Uri), CreatedFrom = from, CreatedTo = to,
        };
    }

    /// <summary>The new entry of a RecordRequest call in <paramref name="project"/>; codes must be in <paramref name="messages"/>.</summary>
    public static NewRequestLogEntry NewEntry(Proto.RecordRequestRequest request, string project, CatalogTable messages, TaskLogOptions options)
    {
        var requestId = RequestChecks.Required(request.RequestId, "request_id");
        RequestChecks.DefinedEnum(request.Kind, "kind", allowUnspecified: false);
        var isTask = request.Kind == Proto.RequestKind.Task;
        if (isTask ? request.Status is < TaskStatusCodes.Started or > TaskStatusCodes.Cancelled : request.Status is < 100 or > 599)
        {
            Errors.InvalidArgument("status", isTask ? "must be 1000 to 1003 for TASK entries" : "must be an HTTP status (100 to 599)");
        }

        Zone(request.TimeZone, "time_zone");
        return new NewRequestLogEntry
        {
            Project = project,
            OccurredAt = RequestChecks.Time(request.Time, "time"),
            Zone = string.IsNullOrEmpty(request.TimeZone) ? "UTC" : request.TimeZone,
            Kind = TaskLogMapper.KindText(request.Kind),
            UserName = RequestChecks.Optional(request.User, "user") ?? "",
            ClientIp = ClientIp(request.ClientIp),
            Status = request.Status,
            App = RequestChecks.Required(request.App, "app", FieldLimits.Code),
            MessageCode = RequestChecks.Code(request.MessageCode, "message_code", messages.Contains)!,
            MessageParams = ParamsJson.Serialize(Params(request.MessageParams, "message_params", options))!,
            DetailCode = RequestChecks.Code(request.DetailCode, "detail_code", messages.Contains, required: false),
            DetailParams = ParamsJson.Serialize(Params(request.DetailParams, "detail_params", options), nullWhenEmpty: true),
            RequestId = requestId,
            Node = Node(request.Node, "node"),
            IdempotencyKey = requestId,
        };
    }

    /// <summary>An optional node name; null when empty.</summary>
    public static string? Node(string? value, string field) => RequestChecks.Optional(value, field, FieldLimits.Name);

    /// <summary>Parameters of a catalog template, with secret-looking values scrubbed.</summary>
    public static Dictionary<string, string> Params(MapField<string, string> parameters, string field, TaskLogOptions options)
    {
        if (parameters.Count > options.MaxParams)
        {
            Errors.InvalidArgument(field, $"must have at most {options.MaxParams} entries");
        }

        foreach (var (name, value) in parameters)
        {
            if (!RequestChecks.IsParamName(name))
            {
                Errors.InvalidArgument(field, $"key '{RequestChecks.Quote(name)}' must be 1-{FieldLimits.Code} letters, digits, '_', '-' or '.'");
            }

            if (value.Length > options.MaxParamValueLength)
            {
                Errors.InvalidArgument(field, $"value of '{name}' must be at most {options.MaxParamValueLength} characters");
            }
        }

        return SecretScrubber.ScrubParams(parameters);
    }

    /// <summary>An IANA zone id or known abbreviation; empty is UTC.</summary>
    public static ExportZone Zone(string? value, string field)
    {
        if (!ExportZone.TryResolve(value, out var zone))
        {
            Errors.InvalidArgument(field, $"'{RequestChecks.Quote(value!)}' is not a known IANA time zone or abbreviation");
        }

        return zone;
    }

    /// <summary>An optional IP address (IPv4 or IPv6); empty stays empty.</summary>
    public static string ClientIp(string? value, string field = "client_ip")
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value.Length > FieldLimits.Code || !IPAddress.TryParse(value, out _))
        {
            Errors.InvalidArgument(field, "must be an IPv4 or IPv6 address");
        }

        return value;
    }

    /// <summary>The storage filter of a request filter, for <paramref name="project"/> (null: every project).</summary>
    public static RequestLogFilter Filter(Proto.RequestFilter? filter, string? project, string prefix = "filter")
    {
        filter ??= new Proto.RequestFilter();
        RequestChecks.DefinedEnum(filter.Kind, prefix + ".kind", allowUnspecified: true);
        RequestChecks.DefinedEnum(filter.Outcome, prefix + ".outcome", allowUnspecified: true);
        var (from, to) = RequestChecks.Range(filter.TimeRange, prefix + ".time_range");
        RequestChecks.NotNegative(filter.Status, prefix + ".status");
        RequestChecks.NotNegative(filter.TaskId, prefix + ".task_id");
        RequestChecks.NotNegative(filter.DuringTaskId, prefix + ".during_task_id");

        return new RequestLogFilter
        {
            Project = project, App = RequestChecks.Optional(filter.App, prefix + ".app"),
            Kind = filter.Kind == Proto.RequestKind.Unspecified ? null : TaskLogMapper.KindText(filter.Kind),
            Status = filter.Status == 0 ? null : filter.Status, Outcome = TaskLogMapper.ToStorage(filter.Outcome),
            UserName = RequestChecks.Optional(filter.User, prefix + ".user"),
            ClientIp = string.IsNullOrEmpty(filter.ClientIp) ? null : ClientIp(filter.ClientIp, prefix + ".client_ip"),
            From = from, To = to, TaskId = filter.TaskId == 0 ? null : filter.TaskId,
            DuringTaskId = filter.DuringTaskId == 0 ? null : filter.DuringTaskId,
            RequestId = RequestChecks.Optional(filter.RequestId, prefix + ".request_id"),
            Node = Node(filter.Node, prefix + ".node"),
        };
    }

    /// <summary>A stream position to resume after (<c>after_sequence</c>, <c>after_line</c>).</summary>
    public static long After(long value, string field) => RequestChecks.NotNegative(value, field);

    /// <summary>Every message of one AppendTaskLog stream names the stream's task or none.</summary>
    public static void SameTask(long batchTaskId, long taskId)
    {
        if (batchTaskId != 0 && batchTaskId != taskId)
        {
            Errors.InvalidArgument("task_id", $"must stay {taskId} on the whole stream (or be 0)");
        }
    }

    /// <summary>An AppendTaskLog stream must name its task: a stream without messages did not.</summary>
    public static void StreamNamedTask(long taskId)
    {
        if (taskId == 0)
        {
            Errors.InvalidArgument("task_id", "is required: the stream carried no message");
        }
    }

    /// <summary>One AppendTaskLog message: a valid first line and at most the configured lines and bytes.</summary>
    public static void Batch(Proto.AppendTaskLogRequest batch, TaskLogOptions options)
    {
        RequestChecks.NotNegative(batch.FirstLineNumber, "first_line_number");
        if (batch.Lines.Count > options.MaxAppendBatchLines)
        {
            Errors.ResourceExhausted($"A batch carries {batch.Lines.Count} lines; at most {options.MaxAppendBatchLines} are allowed per message.");
        }

        var bytes = 0L;
        foreach (var line in batch.Lines)
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(line);
        }

        if (bytes > options.MaxAppendBatchBytes)
        {
            Errors.ResourceExhausted($"A batch carries {bytes} bytes; at most {options.MaxAppendBatchBytes} are allowed per message.");
        }
    }
}
