using EventLog.Storage.Provisioning;

namespace EventLog.Server.Services.Provisioning;

/// <summary>
/// Implements <c>eventlog.v1.ProvisioningService</c>: cluster provisioning plans, steps and per-instance
/// events, as Sahara's cluster event log records them. Partial files per concern: writes (plan, steps, events), reads (progress, list) and
/// the progress watch.
/// </summary>
public sealed partial class ProvisioningGrpcService(
    IProvisioningRepository repository,
    ProgressFeeds feeds,
    IOptions<ProvisioningOptions> options,
    TimeProvider clock,
    ILogger<ProvisioningGrpcService> logger) : EventLog.V1.ProvisioningService.ProvisioningServiceBase
{
    private readonly ProvisioningOptions _options = options.Value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private EventLog.V1.ProvisionStep Map(ProvisioningStep step) => ProvisioningMapper.ToProto(step, Now, _options.StallAfter);

    /// <summary>
    /// Loads a step the caller may act on: missing steps and steps of another project (or of a project other
    /// than the one the request names) are NOT_FOUND.
    /// </summary>
    private async Task<ProvisioningStep> LoadStepAsync(ServerCallContext context, Access access, string project, long stepId)
    {
        var named = string.IsNullOrEmpty(project) ? null : context.AuthorizeProject(access, project);
        var notFound = $"Provisioning step {stepId} does not exist.";
        var step = await repository.GetStepAsync(stepId, context.CancellationToken);
        if (step is null || (named is not null && step.Project != named))
        {
            Errors.NotFound(notFound);
        }

        context.AuthorizeResource(access, step.Project, notFound);
        return step;
    }

    /// <summary>Loads the progress of a cluster the caller may read; unknown clusters and other projects' are NOT_FOUND.</summary>
    private async Task<ProvisioningProgress> LoadProgressAsync(ServerCallContext context, string project, string clusterId)
    {
        var named = string.IsNullOrEmpty(project) ? null : context.AuthorizeProject(Access.Read, project);
        var notFound = $"Cluster '{clusterId}' has no provisioning progress.";
        var progress = await repository.GetProgressAsync(clusterId, context.CancellationToken);
        if (progress is null || (named is not null && progress.Steps[0].Project != named))
        {
            Errors.NotFound(notFound);
        }

        context.AuthorizeResource(Access.Read, progress.Steps[0].Project, notFound);
        return progress;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Plan of {Count} {StepType} steps declared for cluster {ClusterId} (project {Project})")]
    private static partial void LogPlanDeclared(ILogger logger, int count, ProvisioningStepType stepType, string clusterId, string project);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Step {StepId} '{StepName}' of cluster {ClusterId} failed: {Info} (error id {ErrorId})")]
    private static partial void LogStepFailed(ILogger logger, long stepId, string stepName, string clusterId, string? info, string? errorId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Step {StepId} '{StepName}' of cluster {ClusterId} finished, successful={Successful}")]
    private static partial void LogStepFinished(ILogger logger, long stepId, string stepName, string clusterId, bool? successful);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Recording is disabled; dropped {Rpc} for {Target}")]
    private static partial void LogRecordingDisabled(ILogger logger, string rpc, string target);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Progress watch of cluster {ClusterId} ended: {Reason}")]
    private static partial void LogWatchEnded(ILogger logger, string clusterId, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Step {StepId} '{StepName}' of cluster {ClusterId} is stalled: no event since {LastEventAt:o}")]
    private static partial void LogStepStalled(ILogger logger, long stepId, string stepName, string clusterId, DateTime lastEventAt);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Step list of {Count} {StepType} steps registered for plugin {Plugin} (project {Project})")]
    private static partial void LogStepListRegistered(ILogger logger, int count, ProvisioningStepType stepType, string plugin, string project);
}
