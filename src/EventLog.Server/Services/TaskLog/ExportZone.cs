
namespace EventLog.Server.Services.TaskLog;

/// <summary>
/// A time zone text is rendered in: an IANA zone (e.g. America/Sao_Paulo, shown with its abbreviation BRT/BRST),
/// or a fixed-offset abbreviation as recorded by nodes like Wok's (e.g. "BRT").
/// </summary>
public sealed class ExportZone
{
    // .NET on Linux has no zone abbreviations; these are the common ones (standard, daylight).
    private static readonly Dictionary<string, (string Standard, string Daylight)> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = ("UTC", "UTC"), ["Etc/UTC"] = ("UTC", "UTC"), ["Etc/GMT"] = ("GMT", "GMT"),
        ["America/Sao_Paulo"] = ("BRT", "BRST"), ["America/New_York"] = ("EST", "EDT"), ["America/Chicago"] = ("CST", "CDT"),
        ["America/Denver"] = ("MST", "MDT"), ["America/Phoenix"] = ("MST", "MST"), ["America/Los_Angeles"] = ("PST", "PDT"),
        ["Europe/London"] = ("GMT", "BST"), ["Europe/Dublin"] = ("GMT", "IST"), ["Europe/Lisbon"] = ("WET", "WEST"),
        ["Europe/Paris"] = ("CET", "CEST"), ["Europe/Berlin"] = ("CET", "CEST"), ["Europe/Madrid"] = ("CET", "CEST"),
        ["Europe/Rome"] = ("CET", "CEST"), ["Europe/Amsterdam"] = ("CET", "CEST"), ["Europe/Moscow"] = ("MSK", "MSK"),
        ["Asia/Kolkata"] = ("IST", "IST"), ["Asia/Shanghai"] = ("CST", "CST"), ["Asia/Tokyo"] = ("JST", "JST"),
        ["Asia/Seoul"] = ("KST", "KST"), ["Australia/Sydney"] = ("AEST", "AEDT"),
    };

    // Abbreviations a request may carry instead of a zone id, with their UTC offset in minutes (US reading of CST).
    private static readonly Dictionary<string, int> FixedOffsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = 0, ["GMT"] = 0, ["BRT"] = -180, ["BRST"] = -120, ["EST"] = -300, ["EDT"] = -240, ["CST"] = -360,
        ["CDT"] = -300, ["MST"] = -420, ["MDT"] = -360, ["PST"] = -480, ["PDT"] = -420, ["BST"] = 60, ["WET"] = 0,
        ["WEST"] = 60, ["CET"] = 60, ["CEST"] = 120, ["MSK"] = 180, ["IST"] = 330, ["JST"] = 540, ["KST"] = 540,
        ["AEST"] = 600, ["AEDT"] = 660,
    };

    private readonly TimeZoneInfo? _zone;
    private readonly string _name;
    private readonly TimeSpan _offset;

    private ExportZone(TimeZoneInfo? zone, string name, TimeSpan offset)
    {
        _zone = zone;
        _name = name;
        _offset = offset;
    }

    /// <summary>UTC.</summary>
    public static ExportZone Utc { get; } = new(null, "UTC", TimeSpan.Zero);

    /// <summary>Resolves an IANA id or a known abbreviation; empty is UTC; false when unknown.</summary>
    public static bool TryResolve(string? id, out ExportZone zone)
    {
        zone = Utc;
        if (string.IsNullOrEmpty(id) || id.Equals("UTC", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (FixedOffsets.TryGetValue(id, out var minutes))
        {
            zone = new ExportZone(null, id.ToUpperInvariant(), TimeSpan.FromMinutes(minutes));
            return true;
        }

        if (id.Length > FieldLimits.Code || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var info))
        {
            return false;
        }

        zone = new ExportZone(info, id, TimeSpan.Zero);
        return true;
    }

    /// <summary>The local time of <paramref name="utc"/> and the zone's abbreviation at that time.</summary>
    public (DateTime Local, string Abbreviation) Convert(DateTime utc)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        if (_zone is null)
        {
            return (utc + _offset, _name);
        }

        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, _zone);
        var daylight = _zone.IsDaylightSavingTime(local);
        if (Abbreviations.TryGetValue(_name, out var names))
        {
            return (local, daylight ? names.Daylight : names.Standard);
        }

        // Like tzdata for zones without a letter abbreviation: the numeric offset ("-03", "+0530").
        var offset = _zone.GetUtcOffset(utc);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return (local, abs.Minutes == 0 ? $"{sign}{abs.Hours:00}" : $"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }
}
