using EventLog.Server.Infrastructure;
using EventLog.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>
/// In-memory command channels of guest agents: which instances have an agent connected, and the commands
/// (enable, disable, publish, discard) each instance still has to carry out. A command stays pending, and is
/// sent again on every new connection, until its result is reported or it expires.
/// </summary>
public sealed class AgentCommandRegistry(IOptions<GuestLogOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Whether an agent holds a command channel for the instance now.</summary>
    public bool IsConnected(string instanceId)
    {
        lock (_lock)
        {
            return _instances.TryGetValue(instanceId, out var instance) && instance.Connection is not null;
        }
    }

    /// <summary>Opens the instance's channel, replacing (and ending) an older one.</summary>
    public AgentConnection Connect(string instanceId)
    {
        var connection = new AgentConnection(instanceId);
        AgentConnection? replaced;
        lock (_lock)
        {
            var instance = Get(instanceId);
            replaced = instance.Connection;
            instance.Connection = connection;
        }

        // Outside the lock: ending the old stream runs its cancellation callbacks.
        replaced?.Replace();
        return connection;
    }

    /// <summary>Closes a channel unless a newer one already replaced it.</summary>
    public void Disconnect(AgentConnection connection)
    {
        lock (_lock)
        {
            if (_instances.TryGetValue(connection.InstanceId, out var instance) && instance.Connection == connection)
            {
                instance.Connection = null;
                Forget(connection.InstanceId, instance);
            }
        }
    }

    /// <summary>
    /// Queues a command for the instance's agent (delivered now if it is connected, else on connection). A publish
    /// of a log that already has one pending joins it. RESOURCE_EXHAUSTED when too many are pending.
    /// </summary>
    public PendingCommand Enqueue(string instanceId, GuestLogCommandType type, string logName, DateTime? deadline = null)
    {
        var now = Now;
        lock (_lock)
        {
            var instance = Get(instanceId);
            instance.Pending.RemoveAll(p => p.ExpiresAt <= now);
            var existing = type == GuestLogCommandType.Publish
                ? instance.Pending.Find(p => p.Command.Type == type && p.Command.LogName == logName)
                : null;
            if (existing is not null)
            {
                return existing;
            }

            if (instance.Pending.Count >= options.Value.MaxPendingCommands)
            {
                Errors.ResourceExhausted($"Instance {instanceId} already has {instance.Pending.Count} commands pending for its agent.");
            }

            var expires = deadline ?? now + options.Value.CommandTtl;
            var command = new GuestLogCommand
            {
                Id = Guid.NewGuid().ToString("N"), Type = type, LogName = logName,
                CreatedAt = Timestamp.FromDateTime(now), Deadline = Timestamp.FromDateTime(DateTime.SpecifyKind(expires, DateTimeKind.Utc)),
            };
            var pending = new PendingCommand(instanceId, command, expires);
            instance.Pending.Add(pending);
            instance.Connection?.Signal();
            return pending;
        }
    }

    /// <summary>The pending commands <paramref name="connection"/> has not sent yet, oldest first.</summary>
    public IReadOnlyList<PendingCommand> TakeUnsent(AgentConnection connection)
    {
        var now = Now;
        lock (_lock)
        {
            if (!_instances.TryGetValue(connection.InstanceId, out var instance))
            {
                return [];
            }

            instance.Pending.RemoveAll(p => p.ExpiresAt <= now);
            return connection.TakeUnsent(instance.Pending);
        }
    }

    /// <summary>Completes a pending command and returns it; null when the instance has no such command (done, expired or unknown).</summary>
    public PendingCommand? TryComplete(string instanceId, string commandId, CommandOutcome outcome)
    {
        PendingCommand? pending;
        lock (_lock)
        {
            if (!_instances.TryGetValue(instanceId, out var instance)
                || (pending = instance.Pending.Find(p => p.Command.Id == commandId)) is null)
            {
                return null;
            }

            instance.Pending.Remove(pending);
            Forget(instanceId, instance);
        }

        pending.Complete(outcome);
        return pending;
    }

    /// <summary>Drops a command nobody waits for any more (its user's call ended).</summary>
    public void Withdraw(PendingCommand pending)
    {
        lock (_lock)
        {
            if (_instances.TryGetValue(pending.InstanceId, out var instance) && instance.Pending.Remove(pending))
            {
                Forget(pending.InstanceId, instance);
            }
        }
    }

    private Instance Get(string instanceId)
    {
        if (!_instances.TryGetValue(instanceId, out var instance))
        {
            _instances[instanceId] = instance = new Instance();
        }

        return instance;
    }

    private void Forget(string instanceId, Instance instance)
    {
        if (instance.Connection is null && instance.Pending.Count == 0)
        {
            _instances.Remove(instanceId);
        }
    }

    private sealed class Instance
    {
        public AgentConnection? Connection { get; set; }

        public List<PendingCommand> Pending { get; } = [];
    }
}
