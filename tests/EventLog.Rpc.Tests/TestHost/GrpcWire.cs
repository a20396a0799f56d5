using EventLog.Rpc.Internal;
using EventLog.Rpc.Tests.Protos;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Tests.TestHost;

/// <summary>Server-side gRPC framing for test endpoints, written by hand so each test controls the exact bytes.</summary>
internal static class GrpcWire
{
    public static readonly Marshaller<SimpleRequest> RequestMarshaller = Marshallers.Create(m => m.ToByteArray(), SimpleRequest.Parser.ParseFrom);
    public static readonly Marshaller<SimpleResponse> ResponseMarshaller = Marshallers.Create(m => m.ToByteArray(), SimpleResponse.Parser.ParseFrom);

    /// <summary>Starts a gRPC response: HTTP 200 with the gRPC content-type.</summary>
    public static void Begin(HttpContext context) => context.Response.ContentType = "application/grpc";

    /// <summary>Reads the next request message, or null at the end of the request stream.</summary>
    public static async Task<SimpleRequest?> ReadAsync(HttpContext context)
    {
        var encoding = context.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        var (has, message, _) = await MessageFraming.ReadAsync(context.Request.BodyReader, RequestMarshaller.ContextualDeserializer, int.MaxValue, encoding.Length == 0 ? null : encoding, context.RequestAborted);
        return has ? message : null;
    }

    public static async Task WriteAsync(HttpContext context, SimpleResponse response, string? compressEncoding = null)
    {
        await MessageFraming.WriteAsync(context.Response.BodyWriter, response, ResponseMarshaller.ContextualSerializer, int.MaxValue, compressEncoding, context.RequestAborted);
    }

    /// <summary>Sets the status in the trailers (after the body).</summary>
    public static void Status(HttpContext context, StatusCode code, string message = "")
    {
        context.Response.AppendTrailer(GrpcProtocol.StatusTrailer, ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            context.Response.AppendTrailer(GrpcProtocol.MessageTrailer, PercentEncoding.Encode(message));
        }
    }

    /// <summary>A trailers-only response: the status in the one headers frame, no body.</summary>
    public static void TrailersOnly(HttpContext context, StatusCode code, string message = "")
    {
        Begin(context);
        context.Response.Headers[GrpcProtocol.StatusTrailer] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (message.Length > 0)
        {
            context.Response.Headers[GrpcProtocol.MessageTrailer] = PercentEncoding.Encode(message);
        }
    }

    public static SimpleResponse Reply(string text, int payloadSize = 0) => new() { Text = text, Payload = ByteString.CopyFrom(new byte[payloadSize]) };
}
