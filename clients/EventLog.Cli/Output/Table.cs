using System.Text;

namespace EventLog.Cli.Output;

/// <summary>A plain-text table with +---+ borders, as the OpenStack clients print them.</summary>
internal sealed class Table(params string[] headers)
{
    private const int MaxCellWidth = 80;
    private readonly List<string[]> _rows = [];

    private bool _perProject;

    public int Count => _rows.Count;

    /// <summary>A table led by a Project column when it lists every project's rows (<c>--all-projects</c>).</summary>
    public static Table PerProject(bool allProjects, params string[] headers) =>
        new(allProjects ? ["Project", .. headers] : headers) { _perProject = allProjects };

    /// <summary>Adds a row of a <see cref="PerProject"/> table: <paramref name="project"/> leads it when the table has the column.</summary>
    public Table AddForProject(string project, params object?[] cells) => Add(_perProject ? [project, .. cells] : cells);

    public Table Add(params object?[] cells)
    {
        _rows.Add(cells.Select(c => Clean(Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        return this;
    }

    /// <summary>A two-column Property / Value table.</summary>
    public static Table Properties(IEnumerable<(string Name, object? Value)> properties)
    {
        var table = new Table("Property", "Value");
        foreach (var (name, value) in properties)
        {
            table.Add(name, value);
        }
        return table;
    }

    public void Write(TextWriter writer)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < widths.Length && i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        var border = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        writer.WriteLine(border);
        writer.WriteLine(Line(headers, widths));
        writer.WriteLine(border);
        foreach (var row in _rows)
        {
            writer.WriteLine(Line(row, widths));
        }
        writer.WriteLine(border);
    }

    private static string Line(string[] cells, int[] widths)
    {
        var line = new StringBuilder("|");
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : "";
            line.Append(' ').Append(cell.PadRight(widths[i])).Append(" |");
        }
        return line.ToString();
    }

    private static string Clean(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var single = value.ReplaceLineEndings(" ").Replace('\t', ' ');
        return single.Length > MaxCellWidth ? single[..(MaxCellWidth - 3)] + "..." : single;
    }
}
