using EventLog.Storage.GuestLogs;
using Google.Protobuf.WellKnownTypes;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>Maps stored guest logs and agent commands to their proto messages and agent declarations to catalog entries.</summary>
public static class GuestLogMapper
{
    /// <summary>A stored log as sent; <paramref name="exposed"/> comes from the <see cref="ExposurePolicy"/>.</summary>
    public static Proto.GuestLog ToProto(GuestLogInfo l, bool exposed)
    {
        var log = new Proto.GuestLog
        {
            Project = l.Project, InstanceId = l.InstanceId, Name = l.LogName, Type = (Proto.GuestLogType)(int)l.LogType,
            Status = (Proto.GuestLogStatus)(int)l.Status, Datastore = l.Datastore, File = l.FileName, Exposed = exposed,
            EnableRequiresRestart = l.RestartRequired, PublishedBytes = l.PublishedBytes, PendingBytes = l.PendingBytes,
            LineCount = l.LineCount, FirstLineHash = l.FirstLineHash ?? "", UpdatedAt = Timestamps.FromStored(l.UpdatedAt),
            FirstAvailableLine = l.FirstAvailableLine, FirstAvailableOffset = l.FirstAvailableOffset, PublishedOffset = l.PublishedOffset,
        };
        if (l.PublishedAt is { } publishedAt)
        {
            log.PublishedAt = Timestamps.FromStored(publishedAt);
        }

        return log;
    }

    /// <summary>A catalog entry from the agent's declaration.</summary>
    public static GuestLogDefinition ToDefinition(Proto.GuestLogDefinition d, string project, string instanceId, string datastore) => new()
    {
        InstanceId = instanceId, LogName = d.Name, Project = project, LogType = (GuestLogType)(int)d.Type, FileName = d.File,
        Datastore = datastore, Exposed = d.Exposed, RestartRequired = d.EnableRequiresRestart,
        InitialStatus = GuestLogStatusRules.OnRegister(d, null),
    };

    /// <summary>A stored agent command as sent to the agent.</summary>
    public static Proto.GuestLogCommand ToProto(AgentCommand c) => new()
    {
        Id = c.CommandId, Type = (Proto.GuestLogCommandType)(int)c.CommandType, LogName = c.LogName,
        CreatedAt = Timestamps.FromStored(c.CreatedAt), Deadline = Timestamps.FromStored(c.ExpiresAt),
    };

}
