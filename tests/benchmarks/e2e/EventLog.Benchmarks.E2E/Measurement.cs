namespace EventLog.Benchmarks.E2E;

/// <summary>Writes per second, and CPU microseconds per write in this process and in the server process.</summary>
public sealed record Measurement(double WritesPerSecond, double OwnCpuMicrosPerWrite, double ServerCpuMicrosPerWrite)
{
    /// <inheritdoc/>
    public override string ToString() => $"{WritesPerSecond,8:N0} writes/s, CPU per write: {OwnCpuMicrosPerWrite:N0} us here" + (ServerCpuMicrosPerWrite > 0 ? $" + {ServerCpuMicrosPerWrite:N0} us in the server" : "");
}
