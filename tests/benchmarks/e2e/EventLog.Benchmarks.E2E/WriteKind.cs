namespace EventLog.Benchmarks.E2E;

/// <summary>
/// The writes of the mixed workload, in a fixed rotation: a user message, a request log entry, a batch of
/// 5 task log lines, one provisioning event. Both runs execute exactly this sequence.
/// </summary>
public enum WriteKind
{
    Message,
    Request,
    Lines,
    Event,
}
