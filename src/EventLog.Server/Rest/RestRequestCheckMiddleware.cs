using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.Primitives;

namespace EventLog.Server.Rest;

/// <summary>
/// Answers an HTTP/JSON call whose path or query string cannot become its request message with 400 and the
/// <c>google.rpc.Status</c> a service's own validation sends: INVALID_ARGUMENT, an ErrorInfo and a BadRequest
/// naming the field. Left to itself, transcoding fails a value it cannot convert with the parser's words and no
/// field ("The input string 'abc' was not in a correct format."), silently drops a query parameter that names no
/// field (a misspelt filter would list everything), and ignores one that repeats a path variable.
/// Query names are field paths, proto (<c>page_size</c>, <c>filter.app</c>) or JSON (<c>pageSize</c>) names.
/// </summary>
internal sealed partial class RestRequestCheckMiddleware(RequestDelegate next, ILogger<RestRequestCheckMiddleware> logger)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(RestServiceCollectionExtensions.ErrorDetailTypes).WithFormatDefaultValues(true));

    public Task InvokeAsync(HttpContext http)
    {
        var transcoded = http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (transcoded is null)
        {
            return next(http);
        }
        return Check(http.Request, transcoded.MethodDescriptor.InputType) is { } violation ? RejectAsync(http, violation.Field, violation.Description) : next(http);
    }

    /// <summary>The first field of the path or query that cannot be set as given, or null.</summary>
    private static (string Field, string Description)? Check(HttpRequest request, MessageDescriptor input)
    {
        var fromPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.RouteValues)
        {
            if (Resolve(input, name) is not { } path)
            {
                continue;
            }
            var field = FieldPath(path);
            fromPath.Add(field);
            if (Problem(path[^1], new StringValues(value?.ToString())) is { } problem)
            {
                return (field, problem);
            }
        }
        foreach (var (name, values) in request.Query)
        {
            if (Resolve(input, name) is not { } path)
            {
                return (name, $"is not a field of {input.Name}");
            }
            var field = FieldPath(path);
            if (fromPath.Contains(field))
            {
                return (field, "is given by the path and cannot be repeated in the query string");
            }
            if (Problem(path[^1], values) is { } problem)
            {
                return (field, problem);
            }
        }
        return null;
    }

    /// <summary>The fields a dotted name walks through, each matched by its proto or JSON name; null when one is missing.</summary>
    private static List<FieldDescriptor>? Resolve(MessageDescriptor message, string name)
    {
        var path = new List<FieldDescriptor>();
        MessageDescriptor? current = message;
        foreach (var part in name.Split('.'))
        {
            var field = current?.Fields.InDeclarationOrder().FirstOrDefault(f => f.Name == part || f.JsonName == part);
            if (field is null)
            {
                return null;
            }
            path.Add(field);
            current = field.FieldType == FieldType.Message ? field.MessageType : null;
        }
        return path;
    }

    private static string FieldPath(List<FieldDescriptor> path) => string.Join('.', path.Select(f => f.Name));

    /// <summary>Why <paramref name="values"/> cannot be set on <paramref name="field"/>, or null.</summary>
    private static string? Problem(FieldDescriptor field, StringValues values)
    {
        if (field.IsMap)
        {
            return "cannot be set from the query string";
        }
        if (!field.IsRepeated && values.Count > 1)
        {
            return "must be given once";
        }
        return values.Select(value => ValueProblem(field, value ?? "")).FirstOrDefault(problem => problem is not null);
    }

    private static string? ValueProblem(FieldDescriptor field, string value) => field.FieldType switch
    {
        FieldType.String => null,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Parses<int>(value) ? null : "must be a 32-bit integer",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Parses<long>(value) ? null : "must be an integer",
        FieldType.UInt32 or FieldType.Fixed32 => Parses<uint>(value) ? null : "must be a non-negative 32-bit integer",
        FieldType.UInt64 or FieldType.Fixed64 => Parses<ulong>(value) ? null : "must be a non-negative integer",
        FieldType.Double or FieldType.Float => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "must be a number",
        FieldType.Bool => bool.TryParse(value, out _) ? null : "must be true or false",
        FieldType.Bytes => Convert.TryFromBase64String(value, new byte[value.Length], out _) ? null : "must be base64",
        FieldType.Enum => EnumProblem(field.EnumType, value),
        FieldType.Message => MessageProblem(field, value),
        _ => "cannot be set from the query string",
    };

    private static bool Parses<T>(string value)
        where T : System.Numerics.IBinaryInteger<T> => T.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    private static string? EnumProblem(EnumDescriptor type, string value)
    {
        var known = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? type.FindValueByNumber(number)
            : type.FindValueByName(value);
        return known is null ? $"must be one of {string.Join(", ", type.Values.Select(v => v.Name))}" : null;
    }

    /// <summary>Only the well-known types that transcoding reads from one string: wrappers, times and durations.</summary>
    private static string? MessageProblem(FieldDescriptor field, string value)
    {
        var type = field.MessageType;
        if (type.File == WrappersReflection.Descriptor)
        {
            return ValueProblem(type.FindFieldByName("value"), value);
        }
        if (type == Timestamp.Descriptor)
        {
            return ParsesAsJson<Timestamp>(value) ? null : "must be an RFC 3339 time such as 2026-01-31T12:00:00Z";
        }
        if (type == Duration.Descriptor)
        {
            return ParsesAsJson<Duration>(value) ? null : "must be a duration in seconds such as 1.5s";
        }
        return $"is a message; set its fields instead (e.g. {field.Name}.{type.Fields.InDeclarationOrder()[0].Name})";
    }

    private static bool ParsesAsJson<T>(string value)
        where T : IMessage<T>, new()
    {
        try
        {
            JsonParser.Default.Parse<T>(System.Text.Json.JsonSerializer.Serialize(value));
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
        catch (InvalidJsonException)
        {
            return false;
        }
    }

    private Task RejectAsync(HttpContext http, string field, string description)
    {
        LogRejected(logger, http.Request.Path.Value ?? "", field, description);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(Formatter.Format(Infrastructure.Errors.InvalidArgumentStatus("INVALID_ARGUMENT", field, description)), http.RequestAborted);
    }

    [LoggerMessage(EventId = 730, Level = LogLevel.Information, Message = "Rejected an HTTP/JSON request to {Path}: {Field} {Description}")]
    private static partial void LogRejected(ILogger logger, string path, string field, string description);
}
