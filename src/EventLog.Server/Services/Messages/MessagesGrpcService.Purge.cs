using EventLog.Storage.Messages;
using EventLog.V1;

namespace EventLog.Server.Services.Messages;

public sealed partial class MessagesGrpcService
{
    /// <inheritdoc/>
    public override async Task<PurgeMessagesResponse> PurgeMessages(PurgeMessagesRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProjects(Access.Manage, request.Project, request.AllProjects);
        var principal = context.GetPrincipal();
        if (!principal.IsAdmin)
        {
            Errors.PermissionDenied($"Token '{principal.Name}' may not purge messages (needs admin).");
        }

        var before = MessagesValidation.PurgeBefore(request);

        var purge = new MessagePurge { Project = project, CreatedBefore = before, ExpiredAt = request.Expired ? clock.GetUtcNow().UtcDateTime : null };
        var deleted = await repository.PurgeAsync(purge, context.CancellationToken);
        LogPurged(logger, deleted, project ?? "all projects", before, request.Expired);
        return new PurgeMessagesResponse { DeletedCount = deleted };
    }
}
