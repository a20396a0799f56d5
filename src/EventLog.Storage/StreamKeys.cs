using System.Globalization;
using EventLog.Storage.GuestLogs;
using EventLog.Storage.TaskLog;

namespace EventLog.Storage;

/// <summary>Names of the streams that carry sequence numbers, for <see cref="IChangeNotifier"/>.</summary>
public static class StreamKeys
{
    /// <summary>Log lines of a task; the sequence is the line number.</summary>
    public static string TaskLines(long taskId) => "task-lines:" + taskId.ToString(CultureInfo.InvariantCulture);

    /// <summary>State changes of a task (progress, cancel request, completion); the sequence counts changes.</summary>
    public static string TaskState(long taskId) => "task-state:" + taskId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The request log of all projects: its sequence counts entries. Allocating it before inserting an entry
    /// orders entry ids by commit, which export and oldest-first lists resume from.
    /// </summary>
    public const string RequestLog = "request-log";

    /// <summary>User messages of a project.</summary>
    public static string Messages(string project) => "messages:" + project;

    /// <summary>Step changes and per-instance events of a cluster.</summary>
    public static string Cluster(string clusterId) => "cluster:" + clusterId;

    /// <summary>Published chunks of one guest log (see <see cref="GuestLogInfo.Id"/>).</summary>
    public static string GuestLog(long logId) => "guest-log:" + logId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The command queue of one instance's guest agent: the sequence numbers its commands, and results reported
    /// and agents connecting count as touches.
    /// </summary>
    public static string AgentCommands(string instanceId) => "agent-commands:" + instanceId;
}
