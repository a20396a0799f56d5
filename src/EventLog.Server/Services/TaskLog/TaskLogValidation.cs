using System.Net;
using System.Text.RegularExpressions;
using EventLog.Server.Catalog;
using EventLog.Server.Infrastructure;
using EventLog.Storage;
using EventLog.Storage.TaskLog;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

/// <summary>Checks request fields of the TaskLog (and Messages) RPCs; every failure names its field.</summary>
public static partial class TaskLogValidation
{
    /// <summary>Longest node (host) name an entry carries or a filter names.</summary>
    public const int MaxNodeLength = 128;

    /// <summary>An optional node name; null when empty.</summary>
    public static string? Node(string? value, string field) => Errors.Optional(value, field, MaxNodeLength);

    /// <summary>A catalog code known to <paramref name="table"/>; unknown codes are INVALID_ARGUMENT so no free text is stored.</summary>
    public static string? Code(string? value, string field, CatalogTable table, bool required = true)
    {
        var code = required ? Errors.Required(value, field, 64) : Errors.Optional(value, field, 64);
        if (code is not null && !table.Contains(code))
        {
            Errors.InvalidArgument(field, $"'{code}' is not a code of the message catalog");
        }

        return code;
    }

    /// <summary>Parameters of a catalog template, with secret-looking values scrubbed.</summary>
    public static Dictionary<string, string> Params(MapField<string, string> parameters, string field, TaskLogOptions options)
    {
        if (parameters.Count > options.MaxParams)
        {
            Errors.InvalidArgument(field, $"must have at most {options.MaxParams} entries");
        }

        foreach (var (name, value) in parameters)
        {
            if (!ParamName().IsMatch(name))
            {
                Errors.InvalidArgument(field, $"key '{Truncate(name)}' must be 1-64 letters, digits, '_', '-' or '.'");
            }

            if (value.Length > options.MaxParamValueLength)
            {
                Errors.InvalidArgument(field, $"value of '{name}' must be at most {options.MaxParamValueLength} characters");
            }
        }

        return SecretScrubber.ScrubParams(parameters);
    }

    /// <summary>An optional BCP 47 locale tag ("pt-BR"); null when empty.</summary>
    public static string? Locale(string? value, string field = "locale")
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!LocaleTag().IsMatch(value))
        {
            Errors.InvalidArgument(field, "must be a BCP 47 language tag such as 'en' or 'pt-BR'");
        }

        return value;
    }

    /// <summary>An IANA zone id or known abbreviation; empty is UTC.</summary>
    public static ExportZone Zone(string? value, string field)
    {
        if (!ExportZone.TryResolve(value, out var zone))
        {
            Errors.InvalidArgument(field, $"'{Truncate(value!)}' is not a known IANA time zone or abbreviation");
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

        if (value.Length > 64 || !IPAddress.TryParse(value, out _))
        {
            Errors.InvalidArgument(field, "must be an IPv4 or IPv6 address");
        }

        return value;
    }

    /// <summary>An optional timestamp as UTC; null when unset.</summary>
    public static DateTime? Time(Timestamp? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Nanos is < 0 or > 999_999_999 || value.Seconds < -62_135_596_800 || value.Seconds > 253_402_300_799)
        {
            Errors.InvalidArgument(field, "is not a valid timestamp");
        }

        return value.ToDateTime();
    }

    /// <summary>A time range; an end not after its start is INVALID_ARGUMENT.</summary>
    public static (DateTime? From, DateTime? To) Range(Proto.TimeRange? range, string field)
    {
        var from = Time(range?.StartTime, field + ".start_time");
        var to = Time(range?.EndTime, field + ".end_time");
        if (from is not null && to is not null && to <= from)
        {
            Errors.InvalidArgument(field + ".end_time", "must be after start_time");
        }

        return (from, to);
    }

    /// <summary>The storage filter of a request filter, for <paramref name="project"/> (null: every project).</summary>
    public static RequestLogFilter Filter(Proto.RequestFilter? filter, string? project, string prefix = "filter")
    {
        filter ??= new Proto.RequestFilter();
        Errors.DefinedEnum(filter.Kind, prefix + ".kind", allowUnspecified: true);
        Errors.DefinedEnum(filter.Outcome, prefix + ".outcome", allowUnspecified: true);
        var (from, to) = Range(filter.TimeRange, prefix + ".time_range");
        if (filter.Status < 0)
        {
            Errors.InvalidArgument(prefix + ".status", "must not be negative");
        }

        if (filter.TaskId < 0 || filter.DuringTaskId < 0)
        {
            Errors.InvalidArgument(prefix + (filter.TaskId < 0 ? ".task_id" : ".during_task_id"), "must not be negative");
        }

        return new RequestLogFilter
        {
            Project = project, App = Errors.Optional(filter.App, prefix + ".app"),
            Kind = filter.Kind == Proto.RequestKind.Unspecified ? null : TaskLogMapper.KindText(filter.Kind),
            Status = filter.Status == 0 ? null : filter.Status, Outcome = TaskLogMapper.ToStorage(filter.Outcome),
            UserName = Errors.Optional(filter.User, prefix + ".user"),
            ClientIp = string.IsNullOrEmpty(filter.ClientIp) ? null : ClientIp(filter.ClientIp, prefix + ".client_ip"),
            From = from, To = to, TaskId = filter.TaskId == 0 ? null : filter.TaskId,
            DuringTaskId = filter.DuringTaskId == 0 ? null : filter.DuringTaskId,
            RequestId = Errors.Optional(filter.RequestId, prefix + ".request_id"),
            Node = Node(filter.Node, prefix + ".node"),
        };
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ParamName();

    [GeneratedRegex("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")]
    private static partial Regex LocaleTag();
}
