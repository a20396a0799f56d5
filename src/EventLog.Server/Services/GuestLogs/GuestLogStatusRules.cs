using EventLog.Storage.GuestLogs;
using Proto = EventLog.V1;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>Trove's guest log status rules for what the server decides (publishes and discards are decided in storage).</summary>
public static class GuestLogStatusRules
{
    /// <summary>
    /// Status after the agent (re)declares a log: a pending restart outlives the declaration; a USER log not being
    /// written is Disabled; a missing file is Unavailable; otherwise the file size against the published offset
    /// says Ready, Enabled (empty), Published, Partial or Rotated (shrunk).
    /// </summary>
    public static GuestLogStatus OnRegister(Proto.GuestLogDefinition d, GuestLogInfo? existing)
    {
        if (existing?.Status == GuestLogStatus.RestartRequired)
        {
            return GuestLogStatus.RestartRequired;
        }

        if (d.Type == Proto.GuestLogType.User && !d.Enabled)
        {
            return GuestLogStatus.Disabled;
        }

        if (!d.FileExists)
        {
            return GuestLogStatus.Unavailable;
        }

        var published = existing?.PublishedOffset ?? 0;
        return published == 0 ? (d.FileSize > 0 ? GuestLogStatus.Ready : GuestLogStatus.Enabled)
            : d.FileSize < published ? GuestLogStatus.Rotated
            : d.FileSize == published ? GuestLogStatus.Published
            : GuestLogStatus.Partial;
    }

    /// <summary>
    /// The declaration as the user wants it, and the command that brings the agent in line. Once a USER log is known,
    /// whether it is written is the user's decision (EnableLog, DisableLog), not the agent's: an agent that restarts
    /// declares its own defaults, which must not undo an enable (or a disable) the server holds. A new USER log that
    /// is not <paramref name="exposed"/> starts disabled: only admins see it, so only they may turn it on.
    /// </summary>
    public static (Proto.GuestLogDefinition Intended, Proto.GuestLogCommandType? Correction) Intent(Proto.GuestLogDefinition d, GuestLogInfo? existing, bool exposed)
    {
        if (d.Type != Proto.GuestLogType.User || existing?.Status == GuestLogStatus.RestartRequired || (existing is null && exposed))
        {
            return (d, null);
        }
        var wanted = existing is not null && existing.Status != GuestLogStatus.Disabled;
        if (wanted == d.Enabled)
        {
            return (d, null);
        }
        var intended = d.Clone();
        intended.Enabled = wanted;
        return (intended, wanted ? Proto.GuestLogCommandType.Enable : Proto.GuestLogCommandType.Disable);
    }

    /// <summary>Status a user's enable gives: Restart Required when the datastore must restart first.</summary>
    public static GuestLogStatus OnEnable(GuestLogInfo log) =>
        log.RestartRequired ? GuestLogStatus.RestartRequired : GuestLogStatus.Enabled;

    /// <summary>Bytes the agent still has to publish, from the declared file size.</summary>
    public static long Pending(Proto.GuestLogDefinition d, GuestLogInfo? existing) =>
        d.FileExists ? Math.Max(0, d.FileSize - (existing?.PublishedOffset ?? 0)) : 0;
}
