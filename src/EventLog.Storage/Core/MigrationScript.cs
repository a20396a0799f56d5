namespace EventLog.Storage.Core;

internal sealed record MigrationScript(int Version, string Name, string Sql);
