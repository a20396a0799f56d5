using EventLog.Storage.Provisioning;
using Google.Protobuf.WellKnownTypes;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.Provisioning;

/// <summary>Maps stored steps and events to their proto messages and back.</summary>
public static class ProvisioningMapper
{
    /// <summary>A stored step as sent; <paramref name="stallAfter"/> decides whether a running step is stalled at <paramref name="now"/>.</summary>
    public static Proto.ProvisionStep ToProto(ProvisioningStep s, DateTime now, TimeSpan stallAfter)
    {
        var step = new Proto.ProvisionStep
        {
            Id = Id(s.Id), ClusterId = s.ClusterId, Name = s.StepName, StepType = (Proto.StepType)(int)s.StepType,
            PlanIndex = s.Ordinal - 1, Total = s.Total, Completed = s.Completed, CreatedAt = Timestamps.FromStored(s.CreatedAt),
            Successful = s.Successful, Stalled = IsStalled(s, now, stallAfter), EventsCompacted = s.Compacted,
        };
        if (s.StartedAt is { } started)
        {
            step.StartedAt = Timestamps.FromStored(started);
        }

        if (s.FinishedAt is { } finished)
        {
            step.FinishedAt = Timestamps.FromStored(finished);
        }

        if (s.LastEventAt is { } last)
        {
            step.LastEventAt = Timestamps.FromStored(last);
        }

        if (s.GetDuration(now) is { } duration)
        {
            step.Duration = Duration.FromTimeSpan(duration < TimeSpan.Zero ? TimeSpan.Zero : duration);
        }

        return step;
    }

    /// <summary>A stored per-instance event as sent.</summary>
    public static Proto.ProvisionEvent ToProto(ProvisioningEvent e) => new()
    {
        Id = Id(e.Id), Sequence = e.Seq, ClusterId = e.ClusterId, StepId = Id(e.StepId), NodeGroupId = e.NodeGroup ?? "",
        InstanceId = e.InstanceId ?? "", InstanceName = e.InstanceName ?? "", Successful = e.Successful ?? false,
        Info = e.Info ?? "", ErrorId = e.ErrorId ?? "", CreatedAt = Timestamps.FromStored(e.CreatedAt), Node = e.Node ?? "",
    };

    /// <summary>An event to store from its (validated) proto.</summary>
    public static NewProvisioningEvent ToNew(Proto.ProvisionEvent e) => new()
    {
        NodeGroup = Empty(e.NodeGroupId), InstanceId = Empty(e.InstanceId), InstanceName = Empty(e.InstanceName),
        Info = Infrastructure.SecretScrubber.Scrub(Empty(e.Info)), Successful = e.Successful, ErrorId = Empty(e.ErrorId),
        Node = Empty(e.Node),
    };

    /// <summary>A stored plan step as sent.</summary>
    public static Proto.PlannedStep ToProto(PlannedStep s) => new() { Name = s.Name, Total = s.Total };

    /// <summary>Running (started, unfinished) and silent for longer than <paramref name="stallAfter"/>.</summary>
    public static bool IsStalled(ProvisioningStep s, DateTime now, TimeSpan stallAfter) =>
        s.StartedAt is not null && s.FinishedAt is null && now - (s.LastEventAt ?? s.StartedAt.Value) > stallAfter;

    /// <summary>Ids travel as decimal strings.</summary>
    public static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);


    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
