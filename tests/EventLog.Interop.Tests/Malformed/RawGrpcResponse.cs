namespace EventLog.Interop.Tests.Malformed;

/// <summary>What came back for a raw request.</summary>
public sealed record RawGrpcResponse(int HttpStatus, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Trailers, byte[] Body)
{
    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response; null when absent.</summary>
    public int? GrpcStatus => Field("grpc-status") is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>grpc-message as sent (percent-encoded).</summary>
    public string? GrpcMessage => Field("grpc-message");

    /// <summary>The google.rpc.ErrorInfo reason in grpc-status-details-bin, or null when there is none.</summary>
    public string? Reason => StatusDetails.Reason(Field("grpc-status-details-bin"));

    /// <summary>The first message of the body, its 5-byte gRPC prefix removed.</summary>
    public ReadOnlySpan<byte> FirstMessage => Body.AsSpan(5, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(Body.AsSpan(1)));

    /// <inheritdoc/>
    public override string ToString() =>
        $"HTTP {HttpStatus}, headers [{string.Join(", ", Headers.Select(h => $"{h.Key}: {h.Value}"))}], " +
        $"trailers [{string.Join(", ", Trailers.Select(h => $"{h.Key}: {h.Value}"))}], {Body.Length} body bytes";

    private string? Field(string name) => Trailers.GetValueOrDefault(name) ?? Headers.GetValueOrDefault(name);
}
