using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Client.Internal;

internal sealed partial class GrpcCall<TRequest, TResponse>
{
    private const string UserAgent = "eventlog-dotnet/1.0";
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    /// <summary>
    /// Sends the request and validates the response headers. True when response messages follow;
    /// false when the call already has its final status (trailers-only response, HTTP error, local failure).
    /// Never throws: failures become the call's status.
    /// </summary>
    private async Task<bool> SendAsync(TRequest? unaryRequest)
    {
        try
        {
            // Serialize first, so an oversize or unserializable request fails before anything is sent.
            HttpContent content = unaryRequest is null ? _requestContent! : new UnaryContent(await FrameAsync(unaryRequest).ConfigureAwait(false));
            var metadata = await GetRequestMetadataAsync().ConfigureAwait(false);
            // Not disposed: that would dispose a streaming body the handler is still sending.
            var request = CreateRequest(content, metadata);
            var response = await Channel.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _cts.Token).ConfigureAwait(false);
            lock (_lock)
            {
                if (!_status.HasValue)
                {
                    _response = response;
                    response = null;
                }
            }
            if (response is not null)
            {
                response.Dispose();
                return false;
            }
            return await OnResponseHeadersAsync(_response!).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Finish(StatusFromException(ex), Metadata.Empty);
            return false;
        }
    }

    private async Task<bool> OnResponseHeadersAsync(HttpResponseMessage response)
    {
        var headers = StatusMapping.ToMetadata(response.Headers);
        if (StatusMapping.HasStatus(response.Headers))
        {
            // Trailers-only: the status came in the headers frame and there is no body.
            _headersTcs.TrySetResult(headers);
            var status = StatusMapping.ReadStatus(response.Headers);
            if (status.StatusCode == StatusCode.OK && ExpectsSingleResponse)
            {
                status = NoResponseMessage;
            }
            Finish(status, headers, responseComplete: true);
            return false;
        }
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Finish(StatusMapping.FromHttpStatus(response.StatusCode), headers);
            return false;
        }
        var contentType = StatusMapping.GetContentType(response);
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            Finish(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType ?? "(none)"}."), headers);
            return false;
        }
        _headersTcs.TrySetResult(headers);
        _responseEncoding = StatusMapping.GetSingle(response.Headers, GrpcProtocol.EncodingHeader);
        var stream = await response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
        _reader = PipeReader.Create(stream);
        return true;
    }

    private bool ExpectsSingleResponse => Method.Type is MethodType.Unary or MethodType.ClientStreaming;

    private async ValueTask<byte[]> FrameAsync(TRequest request)
    {
        using var buffer = new MemoryStream();
        var writer = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
        var encoding = Options.WriteOptions is { } writeOptions && writeOptions.Flags.HasFlag(WriteFlags.NoCompress) ? null : Channel.RequestEncoding;
        await MessageFraming.WriteAsync(writer, request, Method.RequestMarshaller.ContextualSerializer, Channel.MaxSendMessageSize, encoding, _cts.Token).ConfigureAwait(false);
        await writer.CompleteAsync().ConfigureAwait(false);
        return buffer.ToArray();
    }

    private async ValueTask<Metadata?> GetRequestMetadataAsync()
    {
        if (Channel.CallCredentials is not { } credentials)
        {
            return Options.Headers;
        }
        var metadata = new Metadata();
        if (Options.Headers is { } headers)
        {
            foreach (var entry in headers)
            {
                metadata.Add(entry);
            }
        }
        try
        {
            await credentials(metadata, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "Getting call credentials failed: " + ex.Message, ex));
        }
        return metadata;
    }

    private HttpRequestMessage CreateRequest(HttpContent content, Metadata? metadata)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Channel.BaseUri + Method.FullName)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = GrpcContentType;
        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("user-agent", UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (Channel.RequestEncoding is { } encoding)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, encoding);
        }
        if (_deadline != DateTime.MaxValue)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(_deadline - DateTime.UtcNow));
        }
        if (metadata is not null)
        {
            foreach (var entry in metadata)
            {
                // The protocol's own headers come from the channel, never from caller metadata.
                if (!GrpcProtocol.IsReservedHeader(entry.Key))
                {
                    headers.TryAddWithoutValidation(entry.Key, MetadataCodec.ToHeaderValue(entry));
                }
            }
        }
        return request;
    }
}
