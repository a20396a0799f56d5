namespace EventLog.Benchmarks.E2E;

/// <summary>Successful writes per second, failed writes, and CPU microseconds per successful write in this process and in the server process.</summary>
public sealed record Measurement(double WritesPerSecond, long FailedWrites, double OwnCpuMicrosPerWrite, double ServerCpuMicrosPerWrite)
{
    /// <inheritdoc/>
    public override string ToString() => $"{WritesPerSecond,8:N0} writes/s ({FailedWrites} failed), CPU per write: {OwnCpuMicrosPerWrite:N0} us here" + (ServerCpuMicrosPerWrite > 0 ? $" + {ServerCpuMicrosPerWrite:N0} us in the server" : "");
}
