using System.Globalization;
using EventLog.Storage.Provisioning;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.Provisioning;

/// <summary>Checks the requests of the Provisioning RPCs; every failure names its field.</summary>
public static class ProvisioningValidation
{
    /// <summary>A cluster id: required.</summary>
    public static string ClusterId(string value) => RequestChecks.Required(value, "cluster_id");

    /// <summary>A step type: required and known.</summary>
    public static Proto.StepType StepType(Proto.StepType value) => RequestChecks.DefinedEnum(value, "step_type", allowUnspecified: false);

    /// <summary>The caller's request id that makes a write idempotent; null when empty.</summary>
    public static string? RequestId(string value) => RequestChecks.Optional(value, "request_id", FieldLimits.Name);

    /// <summary>A step id field: a positive decimal number as DeclarePlan returns it.</summary>
    public static long StepId(string value, string field = "step_id")
    {
        RequestChecks.Required(value, field, FieldLimits.StepId);
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            Errors.InvalidArgument(field, "must be a step id returned by DeclarePlan");
        }

        return id;
    }

    /// <summary>A plugin name: required when <paramref name="required"/>, else null when empty.</summary>
    public static string? Plugin(string value, bool required) =>
        required ? RequestChecks.Required(value, "plugin", FieldLimits.Name) : RequestChecks.Optional(value, "plugin", FieldLimits.Name);

    /// <summary>The steps of a plan that names a plugin: none, as the plugin's registered list supplies them.</summary>
    public static void NoStepsBesidePlugin(ICollection<Proto.PlannedStep> steps)
    {
        if (steps.Count > 0)
        {
            Errors.InvalidArgument("steps", "must be empty when plugin names a registered step list");
        }
    }

    /// <summary>The steps of a plan: one to the configured most, each with a unique name.</summary>
    public static List<PlannedStep> Plan(IList<Proto.PlannedStep> steps, ProvisioningOptions options)
    {
        RequestChecks.Declares(steps, "steps", options.MaxPlanSteps, "step");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var planned = new List<PlannedStep>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var name = RequestChecks.Required(steps[i].Name, $"steps[{i}].name");
            if (!names.Add(name))
            {
                Errors.InvalidArgument($"steps[{i}].name", $"repeats the step name '{name}'; names are unique within a plan");
            }

            planned.Add(new PlannedStep(name, Total(steps[i].Total, $"steps[{i}].total")));
        }

        return planned;
    }

    /// <summary>A step's total of work units: 0 (unknown) up to <see cref="int.MaxValue"/>.</summary>
    public static int Total(long total, string field)
    {
        if (total is < 0 or > int.MaxValue)
        {
            Errors.InvalidArgument(field, $"must be between 0 and {int.MaxValue}");
        }

        return (int)total;
    }

    /// <summary>The events of a RecordEvents call: one to the configured most per batch (more is RESOURCE_EXHAUSTED).</summary>
    public static List<NewProvisioningEvent> Events(IList<Proto.ProvisionEvent> events, ProvisioningOptions options)
    {
        if (events.Count == 0)
        {
            Errors.InvalidArgument("events", "must carry at least one event");
        }

        if (events.Count > options.MaxEventsPerBatch)
        {
            Errors.ResourceExhausted($"A batch carries at most {options.MaxEventsPerBatch} events; send {events.Count} in several RecordEvents calls.");
        }

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            RequestChecks.Optional(e.NodeGroupId, $"events[{i}].node_group_id");
            RequestChecks.Optional(e.InstanceId, $"events[{i}].instance_id");
            RequestChecks.Optional(e.InstanceName, $"events[{i}].instance_name");
            RequestChecks.Optional(e.ErrorId, $"events[{i}].error_id");
            RequestChecks.Optional(e.Node, $"events[{i}].node", FieldLimits.Name);
            RequestChecks.Optional(e.Info, $"events[{i}].info", FieldLimits.Info);
        }

        return events.Select(ProvisioningMapper.ToNew).ToList();
    }

    /// <summary>The storage filter of a ListEvents call on <paramref name="clusterId"/>.</summary>
    public static ProvisioningEventFilter EventFilter(Proto.ListEventsRequest request, string clusterId)
    {
        var filter = new ProvisioningEventFilter
        {
            ClusterId = clusterId,
            StepId = string.IsNullOrEmpty(request.StepId) ? null : StepId(request.StepId),
            NodeGroup = RequestChecks.Optional(request.NodeGroupId, "node_group_id"),
            InstanceId = RequestChecks.Optional(request.InstanceId, "instance_id"),
            Successful = request.Successful,
            Node = RequestChecks.Optional(request.Node, "node", FieldLimits.Name),
        };
        var (from, to) = RequestChecks.Range(request.Created, "created", "must be after created.start_time");
        return filter with { From = from, To = to };
    }

    /// <summary>The stream position a WatchProgress call resumes after.</summary>
    public static long AfterSequence(long value) => RequestChecks.NotNegative(value, "after_sequence");
}
