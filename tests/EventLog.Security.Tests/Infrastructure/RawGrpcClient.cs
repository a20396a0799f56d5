using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>Sends hand-made gRPC requests (any bytes, any headers) over HTTP/2 with prior knowledge.</summary>
public sealed class RawGrpcClient(Uri address) : IDisposable
{
    private const long MaxBody = 16 * 1024 * 1024;

    private readonly HttpClient _client = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, AllowAutoRedirect = false })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Frames a payload: 1 flag byte, 4 length bytes (big-endian), the payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flag = 0, uint? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength ?? (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> with the given headers; reads the whole reply.</summary>
    public async Task<RawReply> SendAsync(string path, byte[] body, IEnumerable<KeyValuePair<string, string>> headers, string contentType = "application/grpc", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            long total = 0;
            await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > MaxBody)
                    {
                        return new RawReply((int)response.StatusCode, null, null, total, "response body larger than 16 MiB");
                    }
                }
            }
            var status = Find(response.Headers, "grpc-status") ?? Find(response.TrailingHeaders, "grpc-status");
            var message = Find(response.Headers, "grpc-message") ?? Find(response.TrailingHeaders, "grpc-message");
            return new RawReply((int)response.StatusCode, int.TryParse(status, out var code) ? code : null, message, total, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return new RawReply(0, null, null, 0, $"{ex.GetType().Name}: {ex.Message}{(ex.InnerException is null ? "" : " / " + ex.InnerException.Message)}");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private static string? Find(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.ToString() : null;
}
