using System.Globalization;
using System.Reflection;

namespace EventLog.Storage.Tests.SqlServer;

/// <summary>
/// The shapes a list filter is exercised with, read from the filter's properties so a filter added later is
/// exercised without editing the test: nothing set, each property alone, each pair, and all of them. A property
/// the baseline already sets (a required one) stays as it is.
/// </summary>
internal static class FilterShapes
{
    public const string Text = "acme";

    public static readonly DateTime Time = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    public static IEnumerable<T> Of<T>(Func<T> baseline)
    {
        var empty = baseline();
        var optional = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && Equals(p.GetValue(empty), p.PropertyType.IsValueType ? Activator.CreateInstance(p.PropertyType) : null))
            .ToList();
        yield return empty;
        for (var i = 0; i < optional.Count; i++)
        {
            yield return With(baseline(), optional[i]);
            for (var j = i + 1; j < optional.Count; j++)
            {
                yield return With(With(baseline(), optional[i]), optional[j]);
            }
        }

        yield return optional.Aggregate(baseline(), With);
    }

    private static T With<T>(T filter, PropertyInfo property)
    {
        property.SetValue(filter, Sample(property));
        return filter;
    }

    private static object Sample(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            _ when type == typeof(string) => Text,
            _ when type == typeof(DateTime) => Time,
            _ when type == typeof(bool) => true,
            _ when type.IsEnum => Enum.GetValues(type).Cast<object>().Last(),
            _ when type == typeof(int) || type == typeof(long) => Convert.ChangeType(7, type, CultureInfo.InvariantCulture),
            _ => throw new NotSupportedException($"No sample value for {typeof(FilterShapes).Name} of {property.DeclaringType?.Name}.{property.Name} ({type.Name})."),
        };
    }
}
