using System.Buffers.Binary;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace EventLog.Rpc.Server.Tests.Infrastructure;

/// <summary>Builds and sends gRPC requests byte by byte, to test the server's protocol handling.</summary>
public static class RawGrpc
{
    public static byte[] Frame(IMessage message, bool compressedFlag = false) => Frame(message.ToByteArray(), compressedFlag);

    public static byte[] Frame(byte[] payload, bool compressedFlag = false, uint? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static async Task<RawResponse> SendAsync(HttpClient client, string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));
        var bytes = await response.Content.ReadAsByteArrayAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string? Find(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : response.Headers.TryGetValues(name, out var h) ? h.First() : null;
        return new RawResponse((int)response.StatusCode, Find("grpc-status"), Find("grpc-message"), Find("grpc-encoding"), bytes, response.TrailingHeaders.Any())
        {
            StatusDetails = Find("grpc-status-details-bin") is { } details ? Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(details)) : null,
        };
    }
}

/// <summary>What came back from a raw request.</summary>
public sealed record RawResponse(int HttpStatus, string? GrpcStatus, string? GrpcMessage, string? GrpcEncoding, byte[] Body, bool HadTrailers)
{
    /// <summary>The decoded grpc-status-details-bin, when sent.</summary>
    public Google.Rpc.Status? StatusDetails { get; init; }
}
