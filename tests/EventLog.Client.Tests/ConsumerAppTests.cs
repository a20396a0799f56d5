using EventLog.Tests.Shared;

namespace EventLog.Client.Tests;

/// <summary>
/// An application that already speaks gRPC with Grpc.Net.Client and Google.Api.CommonProtos can take the SDK
/// beside them: the SDK brings no second copy of <c>Grpc.Core</c>, <c>Google.Rpc</c> or <c>Grpc.Health.V1</c> types.
/// </summary>
// Both build a project that references the SDK, which builds the SDK in this tree: one at a time.
[Collection(nameof(SdkBuilds))]
public sealed class ConsumerAppTests
{
    private const string Program = """
        using EventLog.Client;
        using Grpc.Core;
        using Grpc.Net.Client;

        // The app's own use of the gRPC and google.rpc types the SDK also uses.
        var headers = new Metadata { { "x-app", "consumer" } };
        var status = new Google.Rpc.Status { Code = (int)StatusCode.NotFound, Message = "not here" };
        using var channel = GrpcChannel.ForAddress(args[0]);
        var health = new Grpc.Health.V1.Health.HealthClient(channel);

        using var client = new EventLogClient(args[0], args[1]);
        var task = await client.Tasks.StartTaskAsync(new EventLog.V1.StartTaskRequest { App = "consumer", TargetUri = "/apps/1" });
        var got = await client.Tasks.GetTaskAsync(task.Task.Id);
        try
        {
            await client.Tasks.GetTaskAsync(task.Task.Id + 1000);
        }
        catch (EventLogException ex) when (ex.IsNotFound)
        {
            Console.WriteLine($"missing task: {ex.Reason}");
        }
        Console.WriteLine($"task {got.Id} {got.App}; headers {headers.Count}; status {status.Code}; health {health.GetType().Name}");
        """;

    [Fact]
    public async Task AnAppWithGrpcNetClientAndCommonProtos_BuildsAndCallsTheServerThroughTheSdk()
    {
        await using var server = await SdkHost.StartAsync();
        var project = Directory.CreateTempSubdirectory("eventlog-consumer-");
        try
        {
            await SdkConsumerProject.WriteAsync(project.FullName, "Consumer",
                properties: "<TreatWarningsAsErrors>true</TreatWarningsAsErrors><NoWarn>$(NoWarn);NU1603</NoWarn>",
                items: """
                    <PackageReference Include="Grpc.Net.Client" Version="2.85.0" />
                    <PackageReference Include="Grpc.HealthCheck" Version="2.85.0" />
                    <PackageReference Include="Google.Api.CommonProtos" Version="2.17.0" />
                    """);
            await File.WriteAllTextAsync(Path.Combine(project.FullName, "Program.cs"), Program);

            var output = await SdkConsumerProject.BuildAndRunAsync(project.FullName, TimeSpan.FromMinutes(2), server.Address.ToString(), TestTokens.Admin);

            Assert.Contains("missing task: NOT_FOUND", output, StringComparison.Ordinal);
            Assert.Matches(@"task \d+ consumer; headers 1; status 5; health HealthClient", output);
        }
        finally
        {
            project.Delete(recursive: true);
        }
    }
}
