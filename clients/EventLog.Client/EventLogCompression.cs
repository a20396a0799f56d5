namespace EventLog.Client;

/// <summary>How request messages are compressed on the wire.</summary>
public enum EventLogCompression
{
    /// <summary>Messages are sent as they are.</summary>
    None,

    /// <summary>Messages are gzip-compressed (<c>grpc-encoding: gzip</c>); worth it for large log uploads.</summary>
    Gzip,
}
