using EventLog.Server.Catalog;
using EventLog.Storage.Messages;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.Messages;

/// <summary>Maps stored user messages to their proto message, rendering <c>user_message</c> from the catalog.</summary>
public static class MessageMapper
{
    /// <summary>A stored message as sent, in <paramref name="locale"/>.</summary>
    public static Proto.Message ToProto(UserMessage m, MessageCatalog catalog, string? locale) => new()
    {
        Id = m.Id.ToString("D"), Project = m.Project, RequestId = m.RequestId ?? "", ActionCode = m.ActionCode,
        DetailCode = m.DetailCode, Level = ToProto(m.Level), ResourceType = m.ResourceType ?? "",
        ResourceUuid = m.ResourceUuid ?? "", Host = m.Host ?? "", User = m.UserName ?? "", CreatedAt = Timestamps.FromStored(m.CreatedAt),
        ExpiresAt = m.ExpiresAt is { } e ? Timestamps.FromStored(e) : null, Sequence = m.Seq,
        UserMessage = catalog.RenderUserMessage(m.ActionCode, m.DetailCode, locale),
    };

    /// <summary>Storage level of a proto level (null for unspecified).</summary>
    public static MessageLevel? ToStorage(Proto.MessageLevel level) => level switch
    {
        Proto.MessageLevel.Error => MessageLevel.Error,
        Proto.MessageLevel.Warning => MessageLevel.Warning,
        Proto.MessageLevel.Info => MessageLevel.Info,
        _ => null,
    };

    private static Proto.MessageLevel ToProto(MessageLevel level) => level switch
    {
        MessageLevel.Error => Proto.MessageLevel.Error,
        MessageLevel.Warning => Proto.MessageLevel.Warning,
        MessageLevel.Info => Proto.MessageLevel.Info,
        _ => Proto.MessageLevel.Unspecified,
    };
}
