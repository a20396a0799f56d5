using EventLog.Server.Catalog;
using EventLog.Storage.Messages;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.Messages;

/// <summary>Checks the requests of the Messages RPCs; every failure names its field.</summary>
public static class MessagesValidation
{
    /// <summary>A message id: a UUID.</summary>
    public static Guid Id(string? id) => RequestChecks.Uuid(id, "id", required: true)!.Value;

    /// <summary>An optional BCP 47 locale tag that picks the language of <c>user_message</c>; null when empty.</summary>
    public static string? Locale(string? value) => RequestChecks.Locale(value);

    /// <summary>The new message of a CreateMessage call in <paramref name="project"/>; codes must be in <paramref name="catalog"/>.</summary>
    public static NewUserMessage NewMessage(Proto.CreateMessageRequest request, string project, MessageCatalog catalog)
    {
        var requestId = RequestChecks.Required(request.RequestId, "request_id");
        var action = RequestChecks.Code(request.ActionCode, "action_code", catalog.Actions.Contains)!;
        var detail = RequestChecks.Code(request.DetailCode, "detail_code", catalog.Details.Contains)!;
        RequestChecks.DefinedEnum(request.Level, "level", allowUnspecified: false);
        var resourceUuid = RequestChecks.Uuid(request.ResourceUuid, "resource_uuid", required: false) is null ? null : request.ResourceUuid;
        return new NewUserMessage
        {
            Project = project, RequestId = requestId, ActionCode = action, DetailCode = detail,
            Level = MessageMapper.ToStorage(request.Level)!.Value,
            ResourceType = RequestChecks.Optional(request.ResourceType, "resource_type", FieldLimits.Code), ResourceUuid = resourceUuid,
            Host = RequestChecks.Optional(request.Host, "host"), UserName = RequestChecks.Optional(request.User, "user", FieldLimits.Name),
            // The proto's idempotency rule: same request, action, detail and resource is the same message.
            IdempotencyKey = string.Join('\u001f', requestId, action, detail, resourceUuid ?? ""),
        };
    }

    /// <summary>The storage filter of a ListMessages call for <paramref name="project"/> (null: every project).</summary>
    public static MessageFilter Filter(Proto.ListMessagesRequest request, string? project)
    {
        RequestChecks.DefinedEnum(request.Level, "level", allowUnspecified: true);
        var (from, to) = RequestChecks.Range(request.Created, "created");
        return new MessageFilter
        {
            Project = project, ResourceType = RequestChecks.Optional(request.ResourceType, "resource_type", FieldLimits.Code),
            ResourceUuid = RequestChecks.Optional(request.ResourceUuid, "resource_uuid", FieldLimits.Code),
            ActionCode = RequestChecks.Optional(request.ActionCode, "action_code", FieldLimits.Code),
            DetailCode = RequestChecks.Optional(request.DetailCode, "detail_code", FieldLimits.Code),
            RequestId = RequestChecks.Optional(request.RequestId, "request_id"), Level = MessageMapper.ToStorage(request.Level),
            Host = RequestChecks.Optional(request.Host, "host"), UserName = RequestChecks.Optional(request.User, "user", FieldLimits.Name),
            From = from, To = to,
        };
    }

    /// <summary>The creation bound of a PurgeMessages call: <c>before</c>, <c>expired</c> or both must be set.</summary>
    public static DateTime? PurgeBefore(Proto.PurgeMessagesRequest request)
    {
        var before = RequestChecks.Time(request.Before, "before");
        if (before is null && !request.Expired)
        {
            Errors.InvalidArgument("before", "set before, expired or both");
        }

        return before;
    }

    /// <summary>The stream position a WatchMessages call resumes after.</summary>
    public static long AfterSequence(long value) => RequestChecks.NotNegative(value, "after_sequence");
}
