namespace EventLog.Storage.Core;

/// <summary>The SQL that differs between engines. Repository logic is written once on top of it.</summary>
internal interface ISqlDialect
{
    StorageProvider Provider { get; }

    /// <summary>This engine's folder, whose <c>Migrations/</c> holds its scripts (<c>Sqlite</c>: <c>Sqlite/Migrations/</c>).</summary>
    string ScriptFolder { get; }

    /// <summary>Goes right after SELECT: <c>TOP (@limit)</c> on SQL Server, empty on SQLite.</summary>
    string Top { get; }

    /// <summary>Goes at the end of a query: <c>LIMIT @limit</c> on SQLite, empty on SQL Server.</summary>
    string Limit { get; }

    /// <summary>Table hint that locks the rows a write transaction reads (empty on SQLite, whose writer is exclusive).</summary>
    string LockRows { get; }

    /// <summary>Table hint that also locks the key range when the row is missing (insert-if-absent).</summary>
    string LockKeyRange { get; }

    /// <summary>
    /// Goes at the end of a SELECT that names <see cref="LockRows"/>: PostgreSQL locks the rows read with a
    /// clause there instead of a table hint (<c>FOR UPDATE</c>); empty on the others.
    /// </summary>
    string ForUpdate { get; }

    /// <summary>The literal a flag column holds for true: <c>1</c> in SQLite's integer and SQL Server's bit, <c>TRUE</c> in PostgreSQL's boolean.</summary>
    string True { get; }

    /// <summary>The literal a flag column holds for false (see <see cref="True"/>).</summary>
    string False { get; }

    /// <summary>
    /// <paramref name="utc"/> as the engine stores it, so a written time equals the one read back: SQLite and SQL
    /// Server keep .NET's 100 ns ticks, PostgreSQL whole microseconds.
    /// </summary>
    DateTime Stored(DateTime utc);

    /// <summary>Adds <paramref name="count"/> to stream <c>@key</c> (creating it at 0) under its row lock and selects the new last sequence. Parameters <c>@key</c>, <c>@count</c>.</summary>
    string AllocateSequence { get; }

    /// <summary>Adds one to the touch count of stream <c>@key</c> (creating it at 0) under its row lock. Parameter <c>@key</c>.</summary>
    string TouchStream { get; }

    /// <summary>
    /// One reaper round of guest log chunks, in one batch. Takes the first <c>@batch</c> chunks expired at
    /// <c>@now</c> (oldest expiry first), and for each of their logs the chunks up to the last of them (a log
    /// expires from its start, so no hole opens in it); deletes at most <c>@batch</c> of those, lowest
    /// sequences first. Each log loses what was deleted from <c>published_bytes</c>, and its
    /// <c>first_available_line</c> and <c>first_available_offset</c> move past it. Selects the number of chunks
    /// deleted. Parameters <c>@now</c>, <c>@batch</c>.
    /// </summary>
    string ReapGuestLogChunks { get; }

    /// <summary>INSERT that selects the generated <c>id</c>.</summary>
    string InsertReturningId(string table, string columns, string values);

    /// <summary>
    /// Deletes at most <c>@batch</c> rows of <paramref name="table"/> matching <paramref name="where"/>.
    /// <paramref name="key"/> names a unique column SQLite selects the rows by (tables WITHOUT ROWID have no rowid).
    /// </summary>
    string DeleteBatch(string table, string where, string key = "rowid");

    /// <summary>Insert or update by key; every column is bound from a parameter of the same name.</summary>
    string Upsert(string table, IReadOnlyList<string> keys, IReadOnlyList<string> insertOnly, IReadOnlyList<string> updated);

    /// <summary>
    /// Index-friendly, exact (case-sensitive) "column starts with" predicate over parameters <c>@{p}</c>,
    /// <c>@{p}End</c> (the least string above every match; unused when <paramref name="hasUpperBound"/> is false)
    /// and <c>@{p}Like</c> (the escaped prefix followed by <c>%</c>).
    /// </summary>
    string StartsWith(string column, string parameter, bool hasUpperBound = true);

    /// <summary>
    /// A filter the planner must not pick an index for: lists walk the index that gives their order and
    /// apply it to each row, so a page costs the same at any depth. SQL Server plans from statistics and
    /// gets the predicate unchanged; SQLite, without statistics, would rather seek a filter index and sort
    /// every match (a temp B-tree on each page), so its form hides the column from index selection.
    /// </summary>
    string Residual(string predicate);

    /// <summary>
    /// Table hint naming the index a list walks, after the table name. SQLite without statistics costs a
    /// project index with two time bounds (a lower filter bound and the page cursor) below a (project, filter,
    /// time) index with the same bounds, and reads every row of the project in the range; its form is
    /// <c>INDEXED BY</c>. SQL Server plans from statistics and gets no hint.
    /// </summary>
    string IndexHint(string index);

    /// <summary>Splits a migration script into batches the engine can run.</summary>
    IReadOnlyList<string> SplitScript(string script);

    /// <summary>True for errors worth retrying the whole write transaction (deadlock victim).</summary>
    bool IsTransient(Exception exception);
}
