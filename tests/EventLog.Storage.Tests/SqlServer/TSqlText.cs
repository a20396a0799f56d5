using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>One SQL text as ScriptDom's SQL Server 2022 grammar (<see cref="TSql160Parser"/>) reads it.</summary>
internal sealed class TSqlText
{
    private TSqlText(string text, TSqlFragment? script, IList<ParseError> errors)
    {
        Text = text;
        Script = script as TSqlScript;
        Errors = errors;
    }

    public string Text { get; }

    /// <summary>The parsed script; null when the text did not parse.</summary>
    public TSqlScript? Script { get; }

    public IList<ParseError> Errors { get; }

    public int StatementCount => Script?.Batches.Sum(b => b.Statements.Count) ?? 0;

    public static TSqlText Parse(string text)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(text);
        var script = parser.Parse(reader, out var errors);
        return new TSqlText(text, errors.Count == 0 ? script : null, errors);
    }

    /// <summary>
    /// The columns and source table of the first result set the text returns: a top-level SELECT of a query
    /// specification, or an INSERT with an OUTPUT clause. A column is named by its alias or the column it
    /// reads (null for another expression); the table is null when the SELECT reads none. Null when the text
    /// returns no rows (or did not parse).
    /// </summary>
    public (string? Table, IReadOnlyList<string?> Columns)? FirstResultSet()
    {
        foreach (var statement in Script?.Batches.SelectMany(b => b.Statements) ?? [])
        {
            switch (statement)
            {
                case SelectStatement { QueryExpression: QuerySpecification query }:
                    return (TableName(query.FromClause?.TableReferences.FirstOrDefault()), ColumnNames(query.SelectElements));
                case InsertStatement { InsertSpecification: { OutputClause: { } output } insert }:
                    return (TableName(insert.Target), ColumnNames(output.SelectColumns));
            }
        }

        return null;
    }

    private static string? TableName(TSqlFragment? table) =>
        (table as NamedTableReference)?.SchemaObject.BaseIdentifier.Value;

    private static List<string?> ColumnNames(IEnumerable<SelectElement> elements) =>
        elements.Select(e => e is SelectScalarExpression scalar
            ? scalar.ColumnName?.Value ?? (scalar.Expression as ColumnReferenceExpression)?.MultiPartIdentifier?.Identifiers.Last().Value
            : null).ToList();

    /// <summary>Each error with its line and column, then the text, for a failure message.</summary>
    public string Describe() =>
        string.Join(Environment.NewLine, Errors.Select(e => $"  line {e.Line}, column {e.Column}: {e.Message} (error {e.Number})"))
        + Environment.NewLine + Text;
}
