using System.Diagnostics;

namespace EventLog.Server.Observability;

/// <summary>
/// The id that ties a call's log lines together: the caller's <c>x-request-id</c> when it is a sane token,
/// else the trace id of a W3C <c>traceparent</c>, else a new random one. Echoed in the <c>x-request-id</c> trailer.
/// </summary>
public static class RequestIds
{
    /// <summary>The metadata key carrying the id.</summary>
    public const string Header = "x-request-id";

    private const int MaxLength = FieldLimits.Code;

    /// <summary>Picks the id of a call from its request metadata.</summary>
    public static string FromMetadata(Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var given = headers.GetValue(Header);
        if (given is not null && IsSane(given))
        {
            return given;
        }
        var traceParent = headers.GetValue("traceparent");
        if (traceParent is { Length: 55 } && traceParent[2] == '-' && traceParent[35] == '-' && IsHex(traceParent.AsSpan(3, 32)))
        {
            return traceParent.Substring(3, 32);
        }
        return ActivityTraceId.CreateRandom().ToHexString();
    }

    /// <summary>Only short ids of letters, digits and <c>-_.:</c> are taken over, so a log line cannot be forged.</summary>
    private static bool IsSane(string value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }
        return true;
    }
}
