using Google.Protobuf;
using Google.Protobuf.Reflection;
using EventLog.Rpc.Server.Internal;
using Grpc.Reflection.V1;

namespace EventLog.Rpc.Server.Reflection;

/// <summary>Answers reflection requests from the descriptors of the mapped services.</summary>
internal sealed class ReflectionCatalog(GrpcServiceRegistry registry)
{
    public ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(registry.Services.Select(s => new ServiceResponse { Name = s.FullName }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, AllFiles().FirstOrDefault(f => f.Name == request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, AllFiles().FirstOrDefault(f => DeclaresSymbol(f, request.FileContainingSymbol)), $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                response.ErrorResponse = Error(Grpc.Core.StatusCode.NotFound, "Extensions are not used by this server.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var type = request.AllExtensionNumbersOfType;
                if (AllFiles().Any(f => f.MessageTypes.Any(m => Contains(m, type))))
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = type };
                }
                else
                {
                    response.ErrorResponse = Error(Grpc.Core.StatusCode.NotFound, $"Type not found: {type}");
                }
                break;
            default:
                response.ErrorResponse = Error(Grpc.Core.StatusCode.InvalidArgument, "Empty or unknown reflection request.");
                break;
        }
        return response;
    }

    private static ErrorResponse Error(Grpc.Core.StatusCode code, string message) => new() { ErrorCode = (int)code, ErrorMessage = message };

    private static void SetFile(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            response.ErrorResponse = Error(Grpc.Core.StatusCode.NotFound, notFound);
            return;
        }
        // The file and everything it imports, so a client can build the full schema from one answer.
        var result = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>([file]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next.Name))
            {
                continue;
            }
            result.FileDescriptorProto.Add(next.SerializedData);
            foreach (var dependency in next.Dependencies)
            {
                pending.Push(dependency);
            }
        }
        response.FileDescriptorResponse = result;
    }

    private IEnumerable<FileDescriptor> AllFiles()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<FileDescriptor>(registry.Services.Select(s => s.File));
        while (pending.Count > 0)
        {
            var file = pending.Pop();
            if (!seen.Add(file.Name))
            {
                continue;
            }
            yield return file;
            foreach (var dependency in file.Dependencies)
            {
                pending.Push(dependency);
            }
        }
    }

    private static bool DeclaresSymbol(FileDescriptor file, string symbol) =>
        file.Services.Any(s => s.FullName == symbol || s.Methods.Any(m => $"{s.FullName}.{m.Name}" == symbol))
        || file.MessageTypes.Any(m => Contains(m, symbol))
        || file.EnumTypes.Any(e => e.FullName == symbol)
        || file.Extensions.UnorderedExtensions.Any(e => e.FullName == symbol);

    private static bool Contains(MessageDescriptor message, string symbol) =>
        message.FullName == symbol
        || message.Fields.InDeclarationOrder().Any(f => $"{message.FullName}.{f.Name}" == symbol)
        || message.EnumTypes.Any(e => e.FullName == symbol)
        || message.NestedTypes.Any(n => Contains(n, symbol));
}
