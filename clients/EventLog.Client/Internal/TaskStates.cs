using EventLog.V1;

namespace EventLog.Client.Internal;

internal static class TaskStates
{
    public static bool IsFinal(TaskState state) => state is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled;
}
