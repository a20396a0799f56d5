namespace EventLog.Server.Infrastructure;

/// <summary>
/// Longest value, in characters, each kind of request field may carry, and the range of a valid timestamp. Every
/// area's checks and the server's other readers of request text use these, so one limit never drifts between RPCs.
/// </summary>
public static class FieldLimits
{
    /// <summary>Codes and short ids: catalog codes and parameter names, app names, UUIDs, command ids, IP addresses, zone ids.</summary>
    public const int Code = 64;

    /// <summary>Names such as nodes, projects, plugins, and the instances and logs of guest logs.</summary>
    public const int Name = 128;

    /// <summary>Any other short text, such as cluster ids and request ids; the default of <see cref="RequestChecks"/>.</summary>
    public const int Text = 256;

    /// <summary>File paths inside a guest, and free-text progress messages.</summary>
    public const int Path = 1024;

    /// <summary>Target URIs of tasks.</summary>
    public const int Uri = 2048;

    /// <summary>An error an agent reports about a command it could not run.</summary>
    public const int ErrorMessage = 4096;

    /// <summary>The free-text info of a provisioning event.</summary>
    public const int Info = 64 * 1024;

    /// <summary>A provisioning step id as DeclarePlan returns it (a decimal number).</summary>
    public const int StepId = 32;

    /// <summary>Earliest valid <c>google.protobuf.Timestamp</c> seconds: 0001-01-01T00:00:00Z.</summary>
    public const long MinTimestampSeconds = -62_135_596_800;

    /// <summary>Latest valid <c>google.protobuf.Timestamp</c> seconds: 9999-12-31T23:59:59Z.</summary>
    public const long MaxTimestampSeconds = 253_402_300_799;
}
