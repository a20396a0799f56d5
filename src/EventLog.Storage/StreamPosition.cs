namespace EventLog.Storage;

/// <summary>
/// Where a stream stands: its last committed sequence, and how many times it changed without a new row
/// (<see cref="Touches"/>: a guest log discarded, or rotated with nothing new published). Both only grow.
/// </summary>
public readonly record struct StreamPosition(long LastSequence, long Touches);
