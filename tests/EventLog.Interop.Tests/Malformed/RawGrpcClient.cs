using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// Sends hand-made gRPC requests over cleartext HTTP/2 (prior knowledge) with HttpClient, so tests can
/// put on the wire what no well-behaved gRPC client would send. Every request carries the bearer token,
/// so what the server answers is about the malformed part, not a missing credential.
/// </summary>
public sealed class RawGrpcClient(string address, string? token) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(20),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>A gRPC frame: compressed flag, big-endian length (the payload's unless given), payload.</summary>
    public static byte[] Frame(byte[] payload, bool compressed = false, uint? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> and reads the whole response, trailers included.</summary>
    public async Task<RawGrpcResponse> PostAsync(string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address + path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new ArgumentException($"Header {name} was refused by HttpClient.", nameof(headers));
            }
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var content = await response.Content.ReadAsByteArrayAsync(cts.Token);
        return new RawGrpcResponse(
            (int)response.StatusCode,
            response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)),
            response.TrailingHeaders.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)),
            content);
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
