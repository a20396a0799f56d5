using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.Server.Services.TaskLog;
using EventLog.Storage;
using EventLog.Storage.Core;
using EventLog.Storage.Messages;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Server.Services.Messages;

public sealed partial class MessagesGrpcService
{
    /// <inheritdoc/>
    public override async Task<CreateMessageResponse> CreateMessage(CreateMessageRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var message = ToNewMessage(request, project);
        var stored = await repository.CreateAsync(message, context.CancellationToken);
        LogCreated(logger, stored.Id, stored.ActionCode, stored.DetailCode, stored.Project);
        return new CreateMessageResponse { Message = Map(stored, null) };
    }

    /// <inheritdoc/>
    public override async Task<GetMessageResponse> GetMessage(GetMessageRequest request, ServerCallContext context)
    {
        var id = ParseId(request.Id);
        var locale = TaskLogValidation.Locale(request.Locale);
        var message = await LoadAsync(context, Access.Read, request.Project, id);
        return new GetMessageResponse { Message = Map(message, locale) };
    }

    /// <inheritdoc/>
    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProjects(Access.Read, request.Project, request.AllProjects);
        var pageSize = Paging.Resolve(request.PageSize);
        var locale = TaskLogValidation.Locale(request.Locale);
        Errors.DefinedEnum(request.Level, "level", allowUnspecified: true);
        var (from, to) = TaskLogValidation.Range(request.Created, "created");
        var filter = new MessageFilter
        {
            Project = project, ResourceType = Errors.Optional(request.ResourceType, "resource_type", 64),
            ResourceUuid = Errors.Optional(request.ResourceUuid, "resource_uuid", 64),
            ActionCode = Errors.Optional(request.ActionCode, "action_code", 64),
            DetailCode = Errors.Optional(request.DetailCode, "detail_code", 64),
            RequestId = Errors.Optional(request.RequestId, "request_id"), Level = MessageMapper.ToStorage(request.Level),
            Host = Errors.Optional(request.Host, "host"), UserName = Errors.Optional(request.User, "user", MaxUserLength),
            From = from, To = to,
        };
        var page = await repository.ListAsync(filter, pageSize, Paging.Token(request.PageToken), context.CancellationToken);
        var response = new ListMessagesResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Messages.Add(page.Items.Select(m => Map(m, locale)));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<DeleteMessageResponse> DeleteMessage(DeleteMessageRequest request, ServerCallContext context)
    {
        var id = ParseId(request.Id);
        var message = await LoadAsync(context, Access.Manage, request.Project, id);
        if (!await repository.DeleteAsync(id, message.Project, context.CancellationToken))
        {
            Errors.NotFound($"Message {id:D} does not exist.");
        }

        LogDeleted(logger, id);
        return new DeleteMessageResponse();
    }

    private NewUserMessage ToNewMessage(CreateMessageRequest request, string project)
    {
        var requestId = Errors.Required(request.RequestId, "request_id");
        var action = TaskLogValidation.Code(request.ActionCode, "action_code", catalog.Actions)!;
        var detail = TaskLogValidation.Code(request.DetailCode, "detail_code", catalog.Details)!;
        Errors.DefinedEnum(request.Level, "level", allowUnspecified: false);
        var resourceUuid = Errors.Optional(request.ResourceUuid, "resource_uuid", 64);
        if (resourceUuid is not null && !Guid.TryParse(resourceUuid, out _))
        {
            Errors.InvalidArgument("resource_uuid", "must be a UUID");
        }

        return new NewUserMessage
        {
            Project = project, RequestId = requestId, ActionCode = action, DetailCode = detail,
            Level = MessageMapper.ToStorage(request.Level)!.Value,
            ResourceType = Errors.Optional(request.ResourceType, "resource_type", 64), ResourceUuid = resourceUuid,
            Host = Errors.Optional(request.Host, "host"), UserName = Errors.Optional(request.User, "user", MaxUserLength),
            // The proto's idempotency rule: same request, action, detail and resource is the same message.
            IdempotencyKey = string.Join('\u001f', requestId, action, detail, resourceUuid ?? ""),
        };
    }
}
