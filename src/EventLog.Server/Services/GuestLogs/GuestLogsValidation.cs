using System.Text;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>Checks the requests of the GuestLogs RPCs; every failure names its field.</summary>
public static class GuestLogsValidation
{
    /// <summary>Most logs one RegisterLogs call may declare for an instance.</summary>
    public const int MaxCatalogLogs = 200;

    /// <summary>A guest instance id: required.</summary>
    public static string InstanceId(string value, string field = "instance_id") => RequestChecks.Required(value, field, FieldLimits.Name);

    /// <summary>A log name: required.</summary>
    public static string LogName(string value, string field = "log_name") => RequestChecks.Required(value, field, FieldLimits.Name);

    /// <summary>The datastore of a RegisterLogs call; empty when unset.</summary>
    public static string Datastore(string value) => RequestChecks.Optional(value, "datastore", FieldLimits.Name) ?? "";

    /// <summary>The logs of a RegisterLogs call: one to <see cref="MaxCatalogLogs"/>, each named once, of a known type.</summary>
    public static void Definitions(IList<Proto.GuestLogDefinition> logs)
    {
        RequestChecks.Declares(logs, "logs", MaxCatalogLogs, "log");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < logs.Count; i++)
        {
            var name = LogName(logs[i].Name, $"logs[{i}].name");
            if (!names.Add(name))
            {
                Errors.InvalidArgument($"logs[{i}].name", $"repeats the log name '{name}'");
            }

            RequestChecks.DefinedEnum(logs[i].Type, $"logs[{i}].type", allowUnspecified: false);
            RequestChecks.Optional(logs[i].File, $"logs[{i}].file", FieldLimits.Path);
            RequestChecks.NotNegative(logs[i].FileSize, $"logs[{i}].file_size");
        }
    }

    /// <summary>The command id and optional error of a ReportCommandResult call.</summary>
    public static (string CommandId, string? Error) CommandResult(Proto.ReportCommandResultRequest request) =>
        (RequestChecks.Required(request.CommandId, "command_id", FieldLimits.Code),
            RequestChecks.Optional(request.ErrorMessage, "error_message", FieldLimits.ErrorMessage));

    /// <summary>The first message of an UploadLog stream must be its header.</summary>
    public static Proto.UploadLogHeader Header(Proto.UploadLogRequest? first)
    {
        if (first?.PartCase != Proto.UploadLogRequest.PartOneofCase.Header)
        {
            Errors.InvalidArgument("header", "the first message of an upload must be its header");
        }

        var header = first.Header;
        InstanceId(header.InstanceId, "header.instance_id");
        LogName(header.LogName, "header.log_name");
        RequestChecks.NotNegative(header.Offset, "header.offset");
        RequestChecks.NotNegative(header.FileSize, "header.file_size");
        RequestChecks.Optional(header.FirstLineHash, "header.first_line_hash", FieldLimits.Name);
        RequestChecks.Optional(header.CommandId, "header.command_id", FieldLimits.Code);
        return header;
    }

    /// <summary>Every UploadLog message after the header carries data.</summary>
    public static void Data(Proto.UploadLogRequest message)
    {
        if (message.PartCase != Proto.UploadLogRequest.PartOneofCase.Data)
        {
            Errors.InvalidArgument("data", "only the first message of an upload is a header");
        }
    }

    /// <summary>The ListLogs page token after <paramref name="lastName"/>; <see cref="PageAfter"/> reads it back.</summary>
    public static string PageToken(string instanceId, string lastName) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("logs\u001f" + instanceId + "\u001f" + lastName));

    /// <summary>The last log name of the previous page ("" for the first); a token of another instance is INVALID_ARGUMENT.</summary>
    public static string PageAfter(string token, string instanceId)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "";
        }

        string[] parts = [];
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\u001f');
        }
        catch (FormatException)
        {
            Errors.InvalidArgument("page_token", "is malformed");
        }

        if (parts.Length != 3 || parts[0] != "logs" || parts[1] != instanceId)
        {
            Errors.InvalidArgument("page_token", "was issued for another query; repeat the first request's instance_id or start without a token");
        }

        return parts[2];
    }
}
