namespace EventLog.Storage.Tests.Sqlite;

/// <summary>An index as a migration script declares it; <see cref="Columns"/> normalised to "a, b".</summary>
internal sealed record ScriptIndex(string Name, string Table, bool Unique, bool Clustered, string Columns, string? Where)
{
    public bool Covers(string column) =>
        Columns.Split(", ").Contains(column) || (Where is not null && Where.Split(' ').Contains(column));
}
