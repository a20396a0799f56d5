namespace EventLog.Interop.Tests.Malformed;

/// <summary>What came back for a raw request.</summary>
public sealed record RawGrpcResponse(int HttpStatus, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Trailers, byte[] Body)
{
    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response; null when absent.</summary>
    public int? GrpcStatus => (Trailers.GetValueOrDefault("grpc-status") ?? Headers.GetValueOrDefault("grpc-status")) is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>grpc-message as sent (percent-encoded).</summary>
    public string? GrpcMessage => Trailers.GetValueOrDefault("grpc-message") ?? Headers.GetValueOrDefault("grpc-message");

    /// <inheritdoc/>
    public override string ToString() =>
        $"HTTP {HttpStatus}, headers [{string.Join(", ", Headers.Select(h => $"{h.Key}: {h.Value}"))}], " +
        $"trailers [{string.Join(", ", Trailers.Select(h => $"{h.Key}: {h.Value}"))}], {Body.Length} body bytes";
}
