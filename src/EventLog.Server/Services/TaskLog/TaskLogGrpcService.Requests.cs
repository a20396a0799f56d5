using EventLog.Storage.Core;
using EventLog.Storage.TaskLog;
using EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task<RecordRequestResponse> RecordRequest(RecordRequestRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var entry = TaskLogValidation.NewEntry(request, project, catalog.RequestMessages, _options);
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
}
