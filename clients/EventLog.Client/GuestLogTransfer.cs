namespace EventLog.Client;

/// <summary>How far a guest log transfer (a save, or an agent's publish) has come.</summary>
/// <param name="Bytes">Bytes transferred so far.</param>
/// <param name="TotalBytes">Bytes the transfer is expected to move; at least <paramref name="Bytes"/>.</param>
public readonly record struct GuestLogTransfer(long Bytes, long TotalBytes);
