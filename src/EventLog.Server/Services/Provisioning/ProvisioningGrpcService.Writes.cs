using EventLog.Storage.Provisioning;
using EventLog.V1;

namespace EventLog.Server.Services.Provisioning;

public sealed partial class ProvisioningGrpcService
{
    /// <inheritdoc/>
    public override async Task<DeclarePlanResponse> DeclarePlan(DeclarePlanRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var clusterId = ProvisioningValidation.ClusterId(request.ClusterId);
        var stepType = ProvisioningValidation.StepType(request.StepType);
        var requestId = ProvisioningValidation.RequestId(request.RequestId);
        var steps = await PlannedStepsAsync(request, project, stepType, context.CancellationToken);
        var response = new DeclarePlanResponse();
        if (!_options.RecordingEnabled)
        {
            LogRecordingDisabled(logger, nameof(DeclarePlan), clusterId);
            // Nothing is stored, but the steps get ids, so an agent's StartStep, RecordEvents and CompleteStep with
            // them are accepted (and ignored) as well: switching recording off must not break the agents.
            response.Steps.Add(steps.Select((s, i) => new ProvisionStep
            {
                Id = ProvisioningMapper.Id(i + 1), ClusterId = clusterId, Name = s.Name, StepType = stepType, PlanIndex = i,
                Total = s.Total, CreatedAt = Timestamps.FromStored(Now),
            }));
            return response;
        }

        // A cluster belongs to the project that declared its first plan; another project cannot see it.
        var existing = await repository.GetProgressAsync(clusterId, context.CancellationToken);
        if (existing is not null && existing.Steps[0].Project != project)
        {
            Errors.NotFound($"Cluster '{clusterId}' belongs to another project.");
        }

        var declared = await repository.DeclarePlanAsync(project, clusterId, (ProvisioningStepType)(int)stepType, steps, requestId, context.CancellationToken);
        LogPlanDeclared(logger, declared.Count, (ProvisioningStepType)(int)stepType, clusterId, project);
        response.Steps.Add(declared.Select(Map));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<RegisterStepListResponse> RegisterStepList(RegisterStepListRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var plugin = ProvisioningValidation.Plugin(request.Plugin, required: true)!;
        var stepType = (ProvisioningStepType)(int)ProvisioningValidation.StepType(request.StepType);
        var steps = ProvisioningValidation.Plan(request.Steps, _options);
        var registration = await repository.RegisterStepListAsync(project, plugin, stepType, steps, context.CancellationToken);
        if (registration.Created)
        {
            LogStepListRegistered(logger, registration.Steps.Count, stepType, plugin, project);
        }

        var response = new RegisterStepListResponse { Created = registration.Created };
        response.Steps.Add(registration.Steps.Select(ProvisioningMapper.ToProto));
        return response;
    }

    /// <summary>The steps a plan declares: spelled out, or the list its plugin registered for the step type (NOT_FOUND when none).</summary>
    private async Task<IReadOnlyList<Storage.Provisioning.PlannedStep>> PlannedStepsAsync(DeclarePlanRequest request, string project, StepType stepType, CancellationToken ct)
    {
        if (ProvisioningValidation.Plugin(request.Plugin, required: false) is not { } plugin)
        {
            return ProvisioningValidation.Plan(request.Steps, _options);
        }

        ProvisioningValidation.NoStepsBesidePlugin(request.Steps);

        var type = (ProvisioningStepType)(int)stepType;
        var registered = await repository.GetStepListAsync(project, plugin, type, ct);
        if (registered is null)
        {
            Errors.NotFound($"Plugin '{plugin}' registered no {type.ToString().ToLowerInvariant()} step list.");
        }

        return registered;
    }

    /// <inheritdoc/>
    public override async Task<StartStepResponse> StartStep(StartStepRequest request, ServerCallContext context)
    {
        var stepId = ProvisioningValidation.StepId(request.StepId);
        var total = ProvisioningValidation.Total(request.Total, "total");
        if (!_options.RecordingEnabled)
        {
            context.AuthorizeProject(Access.Write, request.Project);
            LogRecordingDisabled(logger, nameof(StartStep), request.StepId);
            return new StartStepResponse { Step = new ProvisionStep { Id = request.StepId, Total = total } };
        }

        var step = await LoadStepAsync(context, Access.Write, request.Project, stepId);
        if (step.StartedAt is not null)
        {
            return new StartStepResponse { Step = Map(step) };
        }

        var started = await repository.StartStepAsync(stepId, total, context.CancellationToken);
        return new StartStepResponse { Step = Map(started) };
    }

    /// <inheritdoc/>
    public override async Task<RecordEventsResponse> RecordEvents(RecordEventsRequest request, ServerCallContext context)
    {
        var stepId = ProvisioningValidation.StepId(request.StepId);
        var requestId = ProvisioningValidation.RequestId(request.RequestId);
        var events = ProvisioningValidation.Events(request.Events, _options);
        if (!_options.RecordingEnabled)
        {
            context.AuthorizeProject(Access.Write, request.Project);
            LogRecordingDisabled(logger, nameof(RecordEvents), request.StepId);
            return new RecordEventsResponse { Step = new ProvisionStep { Id = request.StepId } };
        }

        // The write checks the step's project and state in its own transaction: no read before it.
        var owner = context.RequiredResourceProject(Access.Write, request.Project);
        var result = await repository.AddEventsAsync(stepId, events, requestId, owner, context.CancellationToken);
        if (result.FinishedStep && result.Step.Successful == false)
        {
            var failure = events.First(e => !e.Successful);
            LogStepFailed(logger, stepId, result.Step.StepName, result.Step.ClusterId, failure.Info, failure.ErrorId);
        }

        var response = new RecordEventsResponse { Step = Map(result.Step) };
        response.Events.Add(result.Events.Select(ProvisioningMapper.ToProto));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<CompleteStepResponse> CompleteStep(CompleteStepRequest request, ServerCallContext context)
    {
        var stepId = ProvisioningValidation.StepId(request.StepId);
        if (!_options.RecordingEnabled)
        {
            context.AuthorizeProject(Access.Write, request.Project);
            LogRecordingDisabled(logger, nameof(CompleteStep), request.StepId);
            return new CompleteStepResponse { Step = new ProvisionStep { Id = request.StepId } };
        }

        var step = await LoadStepAsync(context, Access.Write, request.Project, stepId);
        if (step.Successful is not null)
        {
            return new CompleteStepResponse { Step = Map(step) };
        }

        var finished = await repository.CompleteStepAsync(stepId, step.Failed == 0, context.CancellationToken);
        LogStepFinished(logger, stepId, step.StepName, step.ClusterId, finished.Successful);
        return new CompleteStepResponse { Step = Map(finished) };
    }
}
