using Google.Protobuf.WellKnownTypes;

namespace EventLog.Server.Infrastructure;

/// <summary>Converts stored times to the Timestamps every area sends.</summary>
public static class Timestamps
{
    /// <summary>A stored UTC time as a Timestamp (SQLite hands back unspecified kinds).</summary>
    public static Timestamp FromStored(DateTime value) => Timestamp.FromDateTime(value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    });
}
