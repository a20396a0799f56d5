using EventLog.Storage.Core;
using EventLog.Storage.Provisioning;
using EventLog.V1;

namespace EventLog.Server.Services.Provisioning;

public sealed partial class ProvisioningGrpcService
{
    /// <inheritdoc/>
    public override async Task<GetProgressResponse> GetProgress(GetProgressRequest request, ServerCallContext context)
    {
        var clusterId = ProvisioningValidation.ClusterId(request.ClusterId);
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
        var clusterId = ProvisioningValidation.ClusterId(request.ClusterId);
        var pageSize = Paging.Resolve(request.PageSize);
        var filter = ProvisioningValidation.EventFilter(request, clusterId);

        await LoadProgressAsync(context, request.Project, clusterId);
        var page = await repository.ListInstanceEventsAsync(filter, pageSize, Paging.Token(request.PageToken), context.CancellationToken);
        var response = new ListEventsResponse { NextPageToken = page.NextPageToken ?? "" };
        response.Events.Add(page.Items.Select(ProvisioningMapper.ToProto));
        return response;
    }
}
