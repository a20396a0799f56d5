using System.Globalization;

namespace EventLog.Interop.Tests.Malformed.Http2;

/// <summary>One stream's answer as it came off the wire: header fields, DATA bytes, trailer fields, and any RST_STREAM.</summary>
public sealed record Http2Response(
    IReadOnlyList<(string Name, string Value)> Headers,
    IReadOnlyList<(string Name, string Value)> Trailers,
    byte[] Body,
    bool EndedByServer,
    int? ResetCode)
{
    /// <summary>The <c>:status</c> pseudo-header, or null.</summary>
    public int? HttpStatus => Header(Headers, ":status") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null;

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
    public int? GrpcStatus => (Header(Trailers, "grpc-status") ?? Header(Headers, "grpc-status")) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null;

    /// <summary>grpc-message as sent (percent-encoded).</summary>
    public string? GrpcMessage => Header(Trailers, "grpc-message") ?? Header(Headers, "grpc-message");

    /// <summary>Whether the status came in the only HEADERS frame (no DATA, no trailers).</summary>
    public bool IsTrailersOnly => Trailers.Count == 0 && Body.Length == 0 && Header(Headers, "grpc-status") is not null;

    /// <summary>The first value of a field, or null.</summary>
    public static string? Header(IReadOnlyList<(string Name, string Value)> fields, string name) =>
        fields.Where(f => f.Name == name).Select(f => f.Value).FirstOrDefault();

    /// <inheritdoc/>
    public override string ToString() =>
        $"headers [{string.Join(", ", Headers.Select(h => $"{h.Name}: {h.Value}"))}], trailers [{string.Join(", ", Trailers.Select(h => $"{h.Name}: {h.Value}"))}], " +
        $"{Body.Length} body bytes, {(EndedByServer ? "END_STREAM" : "no END_STREAM")}{(ResetCode is { } code ? $", RST_STREAM {code}" : "")}";
}
