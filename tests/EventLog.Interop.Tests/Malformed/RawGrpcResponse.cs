using Google.Rpc;

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

/// <summary>Reads the ErrorInfo out of a <c>grpc-status-details-bin</c> value as it travels (unpadded base64).</summary>
public static class StatusDetails
{
    /// <summary>The reason of the google.rpc.ErrorInfo in <paramref name="base64"/>, or null.</summary>
    public static string? Reason(string? base64)
    {
        if (base64 is null)
        {
            return null;
        }
        var padded = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var status = Status.Parser.ParseFrom(Convert.FromBase64String(padded));
        return status.Details.FirstOrDefault(d => d.Is(ErrorInfo.Descriptor))?.Unpack<ErrorInfo>().Reason;
    }
}
