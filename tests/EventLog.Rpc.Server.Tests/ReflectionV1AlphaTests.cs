using EventLog.Rpc.Server.Tests.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using V1 = Grpc.Reflection.V1;

namespace EventLog.Rpc.Server.Tests;

/// <summary>
/// <c>grpc.reflection.v1alpha</c>, which older grpcurl, grpc_cli and many IDE plugins still speak only:
/// the answers a client needs to build the schema of every mapped service, imports included.
/// </summary>
public sealed class ReflectionV1AlphaTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private RuntimeHost? _host;

    public async Task InitializeAsync() => _host = await RuntimeHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ListServices_NamesEveryMappedServiceOnce()
    {
        var response = (await AskAsync(new ServerReflectionRequest { ListServices = "*" })).Single();

        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Contains("eventlog.rpctest.RpcTest", names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1.ServerReflection", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);
    }

    [Theory]
    [InlineData("eventlog.rpctest.RpcTest", "rpc_test.proto")]
    [InlineData("eventlog.rpctest.RpcTest.Echo", "rpc_test.proto")]
    [InlineData("eventlog.rpctest.EchoRequest", "rpc_test.proto")]
    [InlineData("eventlog.rpctest.EchoRequest.at", "rpc_test.proto")]
    [InlineData("grpc.health.v1.Health", "grpc/health/v1/health.proto")]
    [InlineData("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto")]
    [InlineData("google.protobuf.Timestamp", "google/protobuf/timestamp.proto")]
    [InlineData("grpc.reflection.v1alpha.ServerReflection", "grpc/reflection/v1alpha/reflection.proto")]
    [InlineData("grpc.reflection.v1alpha.ServerReflectionRequest", "grpc/reflection/v1alpha/reflection.proto")]
    public async Task FileContainingSymbol_ReturnsTheDeclaringFile_WithItsImports(string symbol, string file)
    {
        var response = (await AskAsync(new ServerReflectionRequest { FileContainingSymbol = symbol })).Single();

        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
        var files = Parse(response);
        Assert.Equal(file, files[0].Name);
        AssertClosedUnderImports(files);
    }

    [Fact]
    public async Task FileByFilename_ServiceFile_BuildsWithTheWellKnownTypesItImports()
    {
        var response = (await AskAsync(new ServerReflectionRequest { FileByFilename = "rpc_test.proto" })).Single();

        var files = Parse(response);
        Assert.Equal(["rpc_test.proto", "google/protobuf/timestamp.proto"], files.Select(f => f.Name));
        // What a client does with the answer: build descriptors, imports first.
        var built = FileDescriptor.BuildFromByteStrings(response.FileDescriptorResponse.FileDescriptorProto.Reverse());
        var service = built.Single(f => f.Name == "rpc_test.proto").FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("RpcTest");
        var echo = service.FindMethodByName("Echo");
        Assert.Equal("eventlog.rpctest.EchoRequest", echo.InputType.FullName);
        Assert.Equal("google.protobuf.Timestamp", echo.InputType.FindFieldByName("at").MessageType.FullName);
        Assert.Equal(["Echo", "Sleep", "Count", "Sum"], service.Methods.Select(m => m.Name));
        Assert.True(service.FindMethodByName("Count").IsServerStreaming);
        Assert.True(service.FindMethodByName("Sum").IsClientStreaming);
    }

    [Fact]
    public async Task FileByFilename_WellKnownType_IsServedOnItsOwn()
    {
        var response = (await AskAsync(new ServerReflectionRequest { FileByFilename = "google/protobuf/timestamp.proto" })).Single();

        var file = Assert.Single(Parse(response));
        Assert.Equal("google.protobuf", file.Package);
        Assert.Contains(file.MessageType, m => m.Name == "Timestamp");
    }

    [Fact]
    public async Task Errors_AreAnswersInTheStream_WhichKeepsServing()
    {
        var responses = await AskAsync(
            new ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" },
            new ServerReflectionRequest { FileByFilename = "no/such.proto" },
            new ServerReflectionRequest { FileContainingExtension = new ExtensionRequest { ContainingType = "eventlog.rpctest.EchoRequest", ExtensionNumber = 100 } },
            new ServerReflectionRequest { AllExtensionNumbersOfType = "no.such.Type" },
            new ServerReflectionRequest(),
            new ServerReflectionRequest { FileContainingSymbol = "eventlog.rpctest.RpcTest" });

        Assert.Equal(6, responses.Count);
        Assert.Equal((int)StatusCode.NotFound, responses[0].ErrorResponse.ErrorCode);
        Assert.Contains("no.such.Symbol", responses[0].ErrorResponse.ErrorMessage);
        Assert.Equal((int)StatusCode.NotFound, responses[1].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.NotFound, responses[2].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.NotFound, responses[3].ErrorResponse.ErrorCode);
        Assert.Equal((int)StatusCode.InvalidArgument, responses[4].ErrorResponse.ErrorCode);
        Assert.Equal("rpc_test.proto", Parse(responses[5])[0].Name);
    }

    [Fact]
    public async Task AllExtensionNumbersOfType_KnownMessage_HasNone()
    {
        var response = (await AskAsync(new ServerReflectionRequest { AllExtensionNumbersOfType = "eventlog.rpctest.EchoRequest" })).Single();

        Assert.Equal("eventlog.rpctest.EchoRequest", response.AllExtensionNumbersResponse.BaseTypeName);
        Assert.Empty(response.AllExtensionNumbersResponse.ExtensionNumber);
    }

    [Fact]
    public async Task Response_EchoesHostAndOriginalRequest()
    {
        var request = new ServerReflectionRequest { Host = "eventlog.example:443", FileByFilename = "rpc_test.proto" };

        var response = (await AskAsync(request)).Single();

        Assert.Equal("eventlog.example:443", response.ValidHost);
        Assert.Equal(request, response.OriginalRequest);
    }

    [Fact]
    public async Task V1AndV1Alpha_GiveTheSameAnswers()
    {
        ServerReflectionRequest[] requests =
        [
            new() { ListServices = "" },
            new() { FileContainingSymbol = "eventlog.rpctest.RpcTest.Sum" },
            new() { FileByFilename = "grpc/health/v1/health.proto" },
            new() { FileContainingSymbol = "missing.Symbol" },
        ];

        var alpha = await AskAsync(requests);
        var v1 = await AskV1Async(requests.Select(r => V1.ServerReflectionRequest.Parser.ParseFrom(r.ToByteString())).ToArray());

        Assert.Equal(alpha.Select(r => r.ToByteString().ToBase64()), v1.Select(r => r.ToByteString().ToBase64()));
    }

    private async Task<List<ServerReflectionResponse>> AskAsync(params ServerReflectionRequest[] requests)
    {
        using var channel = _host!.CreateChannel();
        var client = new ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo(deadline: DateTime.UtcNow.Add(Timeout));
        var responses = new List<ServerReflectionResponse>();
        // One answer per request, in order, before the next is sent: how grpcurl and buf use the stream.
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request).WaitAsync(Timeout);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout), "no answer to " + request);
            responses.Add(call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout), "an answer nobody asked for");
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        return responses;
    }

    private async Task<List<V1.ServerReflectionResponse>> AskV1Async(V1.ServerReflectionRequest[] requests)
    {
        using var channel = _host!.CreateChannel();
        var client = new V1.ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo(deadline: DateTime.UtcNow.Add(Timeout));
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request).WaitAsync(Timeout);
        }
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);
        var responses = new List<V1.ServerReflectionResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout))
        {
            responses.Add(call.ResponseStream.Current);
        }
        return responses;
    }

    private static List<FileDescriptorProto> Parse(ServerReflectionResponse response) =>
        response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();

    private static void AssertClosedUnderImports(IReadOnlyList<FileDescriptorProto> files)
    {
        var names = files.Select(f => f.Name).ToHashSet();
        Assert.Equal(files.Count, names.Count);
        foreach (var file in files)
        {
            foreach (var dependency in file.Dependency)
            {
                Assert.True(names.Contains(dependency), $"{file.Name} imports {dependency}, which the answer leaves out");
            }
        }
    }
}
