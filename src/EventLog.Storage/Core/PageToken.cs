using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventLog.Storage.Core;

/// <summary>
/// Opaque keyset page token: the last row's sort key (time, id) plus a hash of the query's filters,
/// base64url-encoded. A token only continues the query that issued it.
/// </summary>
internal static class PageToken
{
    private const string Version = "1";

    public static string HashFilters(params object?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p switch
        {
            null => "\u2205",
            DateTime d => DbValues.Utc(d).Ticks.ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => p.ToString(),
        }));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToBase64String(hash, 0, 12);
    }

    /// <summary>Issues a token after a row whose sort key is <paramref name="key"/> (time ticks, or a number) and id <paramref name="id"/>.</summary>
    public static string Create(string filterHash, long key, string id)
    {
        var raw = string.Join('|', Version, filterHash, key.ToString(CultureInfo.InvariantCulture), id);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(raw)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long Key, string Id) Parse(string token, string filterHash)
    {
        string[] parts;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|', 4);
        }
        catch (FormatException)
        {
            throw new InvalidPageTokenException("The page token is malformed.");
        }

        if (parts.Length != 4 || parts[0] != Version || !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key))
        {
            throw new InvalidPageTokenException("The page token is malformed.");
        }

        if (!string.Equals(parts[1], filterHash, StringComparison.Ordinal))
        {
            throw new InvalidPageTokenException("The page token was issued for a different query; repeat the filters of the first request or start without a token.");
        }

        return (key, parts[3]);
    }
}
