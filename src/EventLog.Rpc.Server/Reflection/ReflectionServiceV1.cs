using Grpc.Core;
using Grpc.Reflection.V1;

namespace EventLog.Rpc.Server.Reflection;

/// <summary>Server reflection, <c>grpc.reflection.v1</c>.</summary>
internal sealed class ReflectionServiceV1(ReflectionCatalog catalog) : ServerReflection.ServerReflectionBase
{
    public override async Task ServerReflectionInfo(IAsyncStreamReader<ServerReflectionRequest> requestStream, IServerStreamWriter<ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(catalog.Answer(requestStream.Current), context.CancellationToken).ConfigureAwait(false);
        }
    }
}
