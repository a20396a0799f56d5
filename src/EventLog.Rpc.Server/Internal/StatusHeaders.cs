using System.Globalization;
using EventLog.Rpc.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Server.Internal;

/// <summary>
/// Writes a call's status as <c>grpc-status</c>, <c>grpc-message</c> and <c>grpc-status-details-bin</c>, into the
/// trailers or, for a trailers-only response, the headers. Every status the server sends goes through here, the
/// runtime's own errors too: those echo client input (an unknown path, a content-type) of any length.
/// </summary>
internal static class StatusHeaders
{
    // Clients cap a whole header list at 8-16 KiB (grpc-java 8 KiB) and fail the connection beyond it; the message
    // appears twice (as grpc-message and inside the details), so each copy stays well under half of that.
    private const int MaxEncodedMessageLength = 2048;
    private const string Ellipsis = "...";

    /// <summary>Sets the status keys; the details are left out when the handler sent its own.</summary>
    public static void Write(IHeaderDictionary target, Status status, bool withDetails)
    {
        var detail = Shorten(status.Detail ?? "");
        target.GrpcStatus = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (detail.Length > 0)
        {
            target.GrpcMessage = PercentEncoding.Encode(detail);
        }
        if (withDetails && status.StatusCode != StatusCode.OK)
        {
            // Every error carries an ErrorInfo reason, also the ones the runtime made (deadline, limits, shutdown).
            var shown = ReferenceEquals(detail, status.Detail) ? status : new Status(status.StatusCode, detail);
            target[GrpcProtocol.StatusDetailsTrailer] = Convert.ToBase64String(StatusDetails.ForBareStatus(shown));
        }
    }

    /// <summary>The message as sent: unchanged when its percent-encoding fits, otherwise as much of its start as fits and "...".</summary>
    private static string Shorten(string detail)
    {
        if (EncodedPrefix(detail, MaxEncodedMessageLength) == detail.Length)
        {
            return detail;
        }
        return string.Concat(detail.AsSpan(0, EncodedPrefix(detail, MaxEncodedMessageLength - Ellipsis.Length)), Ellipsis);
    }

    /// <summary>
    /// How many UTF-16 units of the start of <paramref name="text"/> percent-encode within <paramref name="budget"/>
    /// characters, counting only whole characters. Stops at the budget, so a huge message is not encoded to be measured.
    /// </summary>
    private static int EncodedPrefix(string text, int budget)
    {
        var length = 0;
        while (length < text.Length)
        {
            // A surrogate pair is one character: kept or cut whole, or the encoder would write U+FFFD for a half.
            var width = char.IsSurrogatePair(text, length) ? 2 : 1;
            var cost = width == 2 ? 4 * 3 : EncodedLength(text[length]);
            if (cost > budget)
            {
                break;
            }
            budget -= cost;
            length += width;
        }
        return length;
    }

    // As PercentEncoding writes it: printable ASCII but '%' as is, anything else as %XX per UTF-8 byte (a lone
    // surrogate as U+FFFD, three bytes).
    private static int EncodedLength(char c) => c switch
    {
        >= ' ' and <= '~' and not '%' => 1,
        < (char)0x80 => 3,
        < (char)0x800 => 2 * 3,
        _ => 3 * 3,
    };
}
