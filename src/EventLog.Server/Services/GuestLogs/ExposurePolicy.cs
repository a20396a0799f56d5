using EventLog.Storage.GuestLogs;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>
/// Which logs non-admins see (Trove's <c>guest_log_exposed_logs</c>): the configured allow-list of the log's
/// datastore (or of <c>*</c>), else what the agent declared. Applied at read time so a changed list takes
/// effect without the agents registering again.
/// </summary>
public sealed class ExposurePolicy(IOptions<GuestLogOptions> options)
{
    private const string AllLogs = "ALL";
    private const string AnyDatastore = "*";

    /// <summary>Whether non-admins may see <paramref name="log"/>.</summary>
    public bool IsExposed(GuestLogInfo log) => IsExposed(log.Datastore, log.LogName, log.Exposed);

    /// <summary>Whether non-admins may see log <paramref name="logName"/> of a <paramref name="datastore"/> instance whose agent declared <paramref name="declared"/>.</summary>
    public bool IsExposed(string datastore, string logName, bool declared)
    {
        var lists = options.Value.ExposedLogs;
        if (!lists.TryGetValue(datastore, out var names) && !lists.TryGetValue(AnyDatastore, out names))
        {
            return declared;
        }

        return names.Exists(n => string.Equals(n, AllLogs, StringComparison.Ordinal) || string.Equals(n, logName, StringComparison.OrdinalIgnoreCase));
    }
}
