namespace EventLog.Storage.Internal;

internal sealed record MigrationScript(int Version, string Name, string Sql);
