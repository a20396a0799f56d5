using EventLog.Server.Catalog;
using EventLog.Storage.Messages;

namespace EventLog.Server.Services.Messages;

/// <summary>
/// Implements <c>eventlog.v1.MessagesService</c>: user-facing messages about asynchronous operations (Cinder's user messages).
/// Messages are created from catalog codes only and rendered at read time. Partial files: create/read/delete, watch, purge.
/// </summary>
public sealed partial class MessagesGrpcService(
    IMessageRepository repository,
    IChangeNotifier notifier,
    MessageCatalog catalog,
    IOptions<MessagesOptions> options,
    TimeProvider clock,
    ILogger<MessagesGrpcService> logger) : EventLog.V1.MessagesService.MessagesServiceBase
{
    private readonly MessagesOptions _options = options.Value;
    private readonly SharedReads<UserMessage> _sharedReads = new();

    /// <summary>Loads a message of a project the caller may read; other projects' messages are NOT_FOUND.</summary>
    private async Task<UserMessage> LoadAsync(ServerCallContext context, Access access, string? project, Guid id)
    {
        var named = string.IsNullOrEmpty(project) ? null : context.AuthorizeProject(access, project);
        var notFound = $"Message {id:D} does not exist.";
        var message = await repository.GetAsync(id, context.CancellationToken);
        if (message is null || (named is not null && message.Project != named))
        {
            Errors.NotFound(notFound);
        }

        context.AuthorizeResource(access, message.Project, notFound);
        return message;
    }

    private EventLog.V1.Message Map(UserMessage message, string? locale) => MessageMapper.ToProto(message, catalog, locale);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Message {Id} {Action}/{Detail} created in project {Project}")]
    private static partial void LogCreated(ILogger logger, Guid id, string action, string detail, string project);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Message {Id} deleted")]
    private static partial void LogDeleted(ILogger logger, Guid id);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Purged {Count} messages of {Scope} (before {Before}, expired {Expired})")]
    private static partial void LogPurged(ILogger logger, long count, string scope, DateTime? before, bool expired);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "WatchMessages of project {Project} ended at sequence {Sequence}: {Reason}")]
    private static partial void LogWatchEnded(ILogger logger, string project, long sequence, string reason);
}
