namespace EventLog.Storage;

/// <summary>The names under which the storage engine reports: a host exports them to see its commits, writer and watchers.</summary>
public static class StorageTelemetry
{
    /// <summary>The meter of the storage instruments (<c>eventlog.storage.*</c>).</summary>
    public const string MeterName = "EventLog.Storage";

    /// <summary>The activity source of the write spans, one per write, children of the caller's span.</summary>
    public const string ActivitySourceName = "EventLog.Storage";
}
