using EventLog.Storage.Core;
using EventLog.Storage.Messages;
using EventLog.V1;

namespace EventLog.Server.Services.Messages;

public sealed partial class MessagesGrpcService
{
    /// <inheritdoc/>
    public override async Task<CreateMessageResponse> CreateMessage(CreateMessageRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var message = MessagesValidation.NewMessage(request, project, catalog);
        var stored = await repository.CreateAsync(message, context.CancellationToken);
        LogCreated(logger, stored.Id, stored.ActionCode, stored.DetailCode, stored.Project);
        return new CreateMessageResponse { Message = Map(stored, null) };
    }

    /// <inheritdoc/>
    public override async Task<GetMessageResponse> GetMessage(GetMessageRequest request, ServerCallContext context)
    {
        var id = MessagesValidation.Id(request.Id);
        var locale = MessagesValidation.Locale(request.Locale);
        var message = await LoadAsync(context, Access.Read, request.Project, id);
        return new GetMessageResponse { Message = Map(message, locale) };
    }

    /// <inheritdoc/>
    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProjects(Access.Read, request.Project, request.AllProjects);
        var pageSize = Paging.Resolve(request.PageSize);
        var locale = MessagesValidation.Locale(request.Locale);
        var filter = MessagesValidation.Filter(request, project);
        var page = await repository.ListAsync(filter, pageSize, Paging.Token(request.PageToken), context.CancellationToken);
        var response = new ListMessagesResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Messages.Add(page.Items.Select(m => Map(m, locale)));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<DeleteMessageResponse> DeleteMessage(DeleteMessageRequest request, ServerCallContext context)
    {
        var id = MessagesValidation.Id(request.Id);
        var message = await LoadAsync(context, Access.Manage, request.Project, id);
        if (!await repository.DeleteAsync(id, message.Project, context.CancellationToken))
        {
            Errors.NotFound($"Message {id:D} does not exist.");
        }

        LogDeleted(logger, id);
        return new DeleteMessageResponse();
    }
}
