using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Proto = EventLog.V1;

namespace EventLog.Server.Infrastructure;

/// <summary>
/// Checks shared by the request checks of every area. A failure is INVALID_ARGUMENT naming the field (see
/// <see cref="Errors.InvalidArgument"/>); a check returns the value in the form the service stores.
/// </summary>
public static partial class RequestChecks
{
    /// <summary>A required string field of at most <paramref name="maxLength"/> characters.</summary>
    public static string Required(string? value, string field, int maxLength = FieldLimits.Text)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Errors.InvalidArgument(field, "is required");
        }

        return MaxLength(value, field, maxLength);
    }

    /// <summary>An optional string field of at most <paramref name="maxLength"/> characters; null when empty.</summary>
    public static string? Optional(string? value, string field, int maxLength = FieldLimits.Text) =>
        string.IsNullOrEmpty(value) ? null : MaxLength(value, field, maxLength);

    /// <summary>A defined enum value (unknown values are INVALID_ARGUMENT; so is zero unless <paramref name="allowUnspecified"/>).</summary>
    public static TEnum DefinedEnum<TEnum>(TEnum value, string field, bool allowUnspecified)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value) || (!allowUnspecified && Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0))
        {
            Errors.InvalidArgument(field, allowUnspecified ? "is not a known value" : "is required and must be a known value");
        }

        return value;
    }

    /// <summary>A count, offset or position that must not be negative.</summary>
    public static long NotNegative(long value, string field)
    {
        if (value < 0)
        {
            Errors.InvalidArgument(field, "must not be negative");
        }

        return value;
    }

    /// <summary>A list that declares between one and <paramref name="max"/> <paramref name="noun"/>s.</summary>
    public static void Declares<T>(ICollection<T> items, string field, int max, string noun)
    {
        if (items.Count == 0)
        {
            Errors.InvalidArgument(field, $"must declare at least one {noun}");
        }

        if (items.Count > max)
        {
            Errors.InvalidArgument(field, $"must declare at most {max} {noun}s");
        }
    }

    /// <summary>A UUID id field; required ones must be set, optional ones are null when empty.</summary>
    public static Guid? Uuid(string? value, string field, bool required)
    {
        var text = required ? Required(value, field, FieldLimits.Code) : Optional(value, field, FieldLimits.Code);
        if (text is null)
        {
            return null;
        }

        if (!Guid.TryParse(text, out var id))
        {
            Errors.InvalidArgument(field, "must be a UUID");
        }

        return id;
    }

    /// <summary>An optional timestamp as UTC; null when unset.</summary>
    public static DateTime? Time(Timestamp? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Nanos is < 0 or > 999_999_999 || value.Seconds is < FieldLimits.MinTimestampSeconds or > FieldLimits.MaxTimestampSeconds)
        {
            Errors.InvalidArgument(field, "is not a valid timestamp");
        }

        return value.ToDateTime();
    }

    /// <summary>A time range; an end not after its start is INVALID_ARGUMENT on <c>end_time</c>, saying <paramref name="after"/>.</summary>
    public static (DateTime? From, DateTime? To) Range(Proto.TimeRange? range, string field, string after = "must be after start_time")
    {
        var from = Time(range?.StartTime, field + ".start_time");
        var to = Time(range?.EndTime, field + ".end_time");
        if (from is not null && to is not null && to <= from)
        {
            Errors.InvalidArgument(field + ".end_time", after);
        }

        return (from, to);
    }

    /// <summary>A message catalog code that <paramref name="isKnown"/>; unknown codes are INVALID_ARGUMENT so no free text is stored.</summary>
    public static string? Code(string? value, string field, Func<string, bool> isKnown, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(isKnown);
        var code = required ? Required(value, field, FieldLimits.Code) : Optional(value, field, FieldLimits.Code);
        if (code is not null && !isKnown(code))
        {
            Errors.InvalidArgument(field, $"'{code}' is not a code of the message catalog");
        }

        return code;
    }

    /// <summary>An optional BCP 47 locale tag ("pt-BR"); null when empty.</summary>
    public static string? Locale(string? value, string field = "locale")
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!IsLocaleTag(value))
        {
            Errors.InvalidArgument(field, "must be a BCP 47 language tag such as 'en' or 'pt-BR'");
        }

        return value;
    }

    /// <summary>Whether <paramref name="value"/> is a BCP 47 language tag such as "en" or "pt-BR".</summary>
    public static bool IsLocaleTag(string value) => LocaleTag().IsMatch(value);

    /// <summary>Whether <paramref name="name"/> names a template parameter: 1 to <see cref="FieldLimits.Code"/> letters, digits, '_', '-' or '.'.</summary>
    public static bool IsParamName(string name) => ParamName().IsMatch(name);

    /// <summary>A value quoted in an error message, cut to <see cref="FieldLimits.Code"/> characters.</summary>
    public static string Quote(string value) => value.Length <= FieldLimits.Code ? value : value[..FieldLimits.Code] + "…";

    private static string MaxLength(string value, string field, int maxLength)
    {
        if (value.Length > maxLength)
        {
            Errors.InvalidArgument(field, $"must be at most {maxLength} characters");
        }

        return value;
    }

    [GeneratedRegex("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")]
    private static partial Regex LocaleTag();

    // A parameter name is as long as a code (FieldLimits.Code); attribute arguments cannot format a constant.
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex ParamName();
}
