using Google.Protobuf;
using Grpc.Core;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace EventLog.Rpc.Server.Reflection;

/// <summary>
/// Server reflection, <c>grpc.reflection.v1alpha</c>. Its messages are wire-identical to v1, so
/// requests and answers are translated through their bytes and answered by the same catalog.
/// </summary>
internal sealed class ReflectionServiceV1Alpha(ReflectionCatalog catalog) : V1Alpha.ServerReflection.ServerReflectionBase
{
    public override async Task ServerReflectionInfo(IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requestStream, IServerStreamWriter<V1Alpha.ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = V1.ServerReflectionRequest.Parser.ParseFrom(requestStream.Current.ToByteString());
            var answer = V1Alpha.ServerReflectionResponse.Parser.ParseFrom(catalog.Answer(request).ToByteString());
            await responseStream.WriteAsync(answer, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
