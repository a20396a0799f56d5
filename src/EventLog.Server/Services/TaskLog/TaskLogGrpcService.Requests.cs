using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.Storage;
using EventLog.Storage.Core;
using EventLog.Storage.TaskLog;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task<RecordRequestResponse> RecordRequest(RecordRequestRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var entry = ToNewEntry(request, project);
        var stored = await repository.RecordRequestAsync(entry, context.CancellationToken);
        return new RecordRequestResponse { Entry = Map(stored) };
    }

    /// <inheritdoc/>
    public override async Task<ListRequestsResponse> ListRequests(ListRequestsRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProjects(Access.Read, request.Project, request.AllProjects);
        var pageSize = Paging.Resolve(request.PageSize);
        var locale = TaskLogValidation.Locale(request.Locale);
        var filter = TaskLogValidation.Filter(request.Filter, project) with { OldestFirst = request.OldestFirst };
        var page = await repository.ListRequestsAsync(filter, pageSize, Paging.Token(request.PageToken), context.CancellationToken);
        var response = new ListRequestsResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Entries.Add(page.Items.Select(e => Map(e, locale)));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<GetTimelineResponse> GetTimeline(GetTimelineRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProjects(Access.Read, request.Project, request.AllProjects);
        var limit = Paging.Resolve(request.Limit, "limit");
        var locale = TaskLogValidation.Locale(request.Locale);
        var node = TaskLogValidation.Node(request.Node, "node");
        var entries = await repository.GetTimelineAsync(project, limit, node, context.CancellationToken);
        var response = new GetTimelineResponse();
        response.Entries.Add(entries.Select(e => Map(e, locale)));
        return response;
    }

    private NewRequestLogEntry ToNewEntry(RecordRequestRequest request, string project)
    {
        var requestId = Errors.Required(request.RequestId, "request_id");
        Errors.DefinedEnum(request.Kind, "kind", allowUnspecified: false);
        var isTask = request.Kind == RequestKind.Task;
        if (isTask ? request.Status is < TaskStatusCodes.Started or > TaskStatusCodes.Cancelled : request.Status is < 100 or > 599)
        {
            Errors.InvalidArgument("status", isTask ? "must be 1000 to 1003 for TASK entries" : "must be an HTTP status (100 to 599)");
        }

        TaskLogValidation.Zone(request.TimeZone, "time_zone");
        return new NewRequestLogEntry
        {
            Project = project,
            OccurredAt = TaskLogValidation.Time(request.Time, "time"),
            Zone = string.IsNullOrEmpty(request.TimeZone) ? "UTC" : request.TimeZone,
            Kind = TaskLogMapper.KindText(request.Kind),
            UserName = Errors.Optional(request.User, "user") ?? "",
            ClientIp = TaskLogValidation.ClientIp(request.ClientIp),
            Status = request.Status,
            App = Errors.Required(request.App, "app", 64),
            MessageCode = TaskLogValidation.Code(request.MessageCode, "message_code", catalog.RequestMessages)!,
            MessageParams = ParamsJson.Serialize(TaskLogValidation.Params(request.MessageParams, "message_params", _options))!,
            DetailCode = TaskLogValidation.Code(request.DetailCode, "detail_code", catalog.RequestMessages, required: false),
            DetailParams = ParamsJson.Serialize(TaskLogValidation.Params(request.DetailParams, "detail_params", _options), nullWhenEmpty: true),
            RequestId = requestId,
            Node = TaskLogValidation.Node(request.Node, "node"),
            IdempotencyKey = requestId,
        };
    }
}
