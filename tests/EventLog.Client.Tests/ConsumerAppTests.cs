using EventLog.Client.Tests.Infrastructure;
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
        var root = Commands.RepositoryRoot();
        var project = Directory.CreateTempSubdirectory("eventlog-consumer-");
        try
        {
            var sdk = Path.Combine(root, "clients", "EventLog.Client", "EventLog.Client.csproj");
            // Outside the repository, as a user's project is: its own package versions, no central management.
            await File.WriteAllTextAsync(Path.Combine(project.FullName, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    <NoWarn>$(NoWarn);NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Grpc.Net.Client" Version="2.85.0" />
                    <PackageReference Include="Grpc.HealthCheck" Version="2.85.0" />
                    <PackageReference Include="Google.Api.CommonProtos" Version="2.17.0" />
                    <ProjectReference Include="{sdk}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(project.FullName, "Program.cs"), Program);

            var build = await Commands.RunAsync("dotnet", project.FullName, TimeSpan.FromMinutes(5), "build", "-nologo", "-v", "q");
            Assert.True(build.ExitCode == 0, build.Output);
            var run = await Commands.RunAsync("dotnet", project.FullName, TimeSpan.FromMinutes(2), "run", "--no-build", "--", server.Address.ToString(), TestTokens.Admin);

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("missing task: NOT_FOUND", run.Output, StringComparison.Ordinal);
            Assert.Matches(@"task \d+ consumer; headers 1; status 5; health HealthClient", run.Output);
        }
        finally
        {
            project.Delete(recursive: true);
        }
    }
}
