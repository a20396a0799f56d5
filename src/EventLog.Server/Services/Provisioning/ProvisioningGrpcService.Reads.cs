using EventLog.Server.Auth;
using EventLog.Server.Infrastructure;
using EventLog.Storage;
using EventLog.Storage.Core;
using EventLog.Storage.Provisioning;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Server.Services.Provisioning;

public sealed partial class ProvisioningGrpcService
{
    /// <inheritdoc/>
    public override async Task<GetProgressResponse> GetProgress(GetProgressRequest request, ServerCallContext context)
    {
        var clusterId = Errors.Required(request.ClusterId, "cluster_id");
        if (!_options.RecordingEnabled && await repository.GetProgressAsync(clusterId, context.CancellationToken) is null)
        {
            // Nothing was recorded because recording is off: say so rather than that the cluster does not exist.
            context.AuthorizeProject(Access.Read, request.Project);
            return new GetProgressResponse { ClusterId = clusterId, RecordingEnabled = false };
        }

        var progress = await LoadProgressAsync(context, request.Project, clusterId);
        var response = new GetProgressResponse
        {
            ClusterId = clusterId, Sequence = progress.LastSequence, RecordingEnabled = _options.RecordingEnabled,
        };
        response.Steps.Add(progress.Steps.Select(Map));

        // Only a running or failed step is "current": a finished successful operation has none.
        if (progress.CurrentStep is { Successful: null or false } current)
        {
            response.CurrentStepId = ProvisioningMapper.Id(current.Id);
            response.Events.Add(progress.CurrentStepEvents.Select(ProvisioningMapper.ToProto));
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<ListEventsResponse> ListEvents(ListEventsRequest request, ServerCallContext context)
    {
        var clusterId = Errors.Required(request.ClusterId, "cluster_id");
        var pageSize = Paging.Resolve(request.PageSize);
        var filter = new ProvisioningEventFilter
        {
            ClusterId = clusterId,
            StepId = string.IsNullOrEmpty(request.StepId) ? null : ParseStepId(request.StepId),
            NodeGroup = Errors.Optional(request.NodeGroupId, "node_group_id"),
            InstanceId = Errors.Optional(request.InstanceId, "instance_id"),
            Successful = request.Successful,
            Node = Errors.Optional(request.Node, "node", MaxNodeLength),
            From = ValidTime(request.Created?.StartTime, "created.start_time"),
            To = ValidTime(request.Created?.EndTime, "created.end_time"),
        };
        if (filter.From >= filter.To)
        {
            Errors.InvalidArgument("created.end_time", "must be after created.start_time");
        }

        await LoadProgressAsync(context, request.Project, clusterId);
        var page = await repository.ListInstanceEventsAsync(filter, pageSize, Paging.Token(request.PageToken), context.CancellationToken);
        var response = new ListEventsResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Events.Add(page.Items.Select(ProvisioningMapper.ToProto));
        return response;
    }
}
