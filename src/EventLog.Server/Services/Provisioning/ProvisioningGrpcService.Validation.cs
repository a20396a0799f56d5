using EventLog.Server.Infrastructure;
using EventLog.Storage;
using EventLog.Storage.Provisioning;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.Provisioning;

public sealed partial class ProvisioningGrpcService
{
    private const int MaxNameLength = 256;
    private const int MaxInfoLength = 64 * 1024;
    private const int MaxNodeLength = 128;
    private const int MaxPluginLength = 128;

    /// <summary>A plugin name: required when <paramref name="required"/>, else null when empty.</summary>
    private static string? ValidatePlugin(string value, bool required) =>
        required ? Errors.Required(value, "plugin", MaxPluginLength) : Errors.Optional(value, "plugin", MaxPluginLength);

    private List<PlannedStep> ValidatePlan(IList<Proto.PlannedStep> steps)
    {
        if (steps.Count == 0)
        {
            Errors.InvalidArgument("steps", "must declare at least one step");
        }

        if (steps.Count > _options.MaxPlanSteps)
        {
            Errors.InvalidArgument("steps", $"must declare at most {_options.MaxPlanSteps} steps");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var planned = new List<PlannedStep>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var name = Errors.Required(steps[i].Name, $"steps[{i}].name", MaxNameLength);
            if (!names.Add(name))
            {
                Errors.InvalidArgument($"steps[{i}].name", $"repeats the step name '{name}'; names are unique within a plan");
            }

            planned.Add(new PlannedStep(name, ValidateTotal(steps[i].Total, $"steps[{i}].total")));
        }

        return planned;
    }

    private static DateTime? ValidTime(Google.Protobuf.WellKnownTypes.Timestamp? time, string field)
    {
        if (time is null)
        {
            return null;
        }

        if (time.Nanos is < 0 or > 999_999_999 || time.Seconds < -62_135_596_800 || time.Seconds > 253_402_300_799)
        {
            Errors.InvalidArgument(field, "is not a valid timestamp");
        }

        return time.ToDateTime();
    }

    private static int ValidateTotal(long total, string field)
    {
        if (total is < 0 or > int.MaxValue)
        {
            Errors.InvalidArgument(field, $"must be between 0 and {int.MaxValue}");
        }

        return (int)total;
    }

    private List<NewProvisioningEvent> ValidateEvents(IList<Proto.ProvisionEvent> events)
    {
        if (events.Count == 0)
        {
            Errors.InvalidArgument("events", "must carry at least one event");
        }

        if (events.Count > _options.MaxEventsPerBatch)
        {
            Errors.ResourceExhausted($"A batch carries at most {_options.MaxEventsPerBatch} events; send {events.Count} in several RecordEvents calls.");
        }

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            Errors.Optional(e.NodeGroupId, $"events[{i}].node_group_id", MaxNameLength);
            Errors.Optional(e.InstanceId, $"events[{i}].instance_id", MaxNameLength);
            Errors.Optional(e.InstanceName, $"events[{i}].instance_name", MaxNameLength);
            Errors.Optional(e.ErrorId, $"events[{i}].error_id", MaxNameLength);
            Errors.Optional(e.Node, $"events[{i}].node", MaxNodeLength);
            Errors.Optional(e.Info, $"events[{i}].info", MaxInfoLength);
        }

        return events.Select(ProvisioningMapper.ToNew).ToList();
    }
}
