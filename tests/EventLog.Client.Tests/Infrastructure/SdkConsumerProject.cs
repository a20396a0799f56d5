using EventLog.Tests.Shared;

namespace EventLog.Client.Tests.Infrastructure;

/// <summary>
/// A console app outside the repository that references the SDK project, as a user's app does: its own package
/// versions, no central package management. Built and run as real processes.
/// </summary>
public static class SdkConsumerProject
{
    /// <summary>Writes <c>{name}.csproj</c> in <paramref name="directory"/>, with extra <paramref name="properties"/> and <paramref name="items"/> (MSBuild XML).</summary>
    public static Task WriteAsync(string directory, string name, string properties, string items)
    {
        var sdk = Path.Combine(Commands.RepositoryRoot(), "clients", "EventLog.Client", "EventLog.Client.csproj");
        return File.WriteAllTextAsync(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {items}
                <ProjectReference Include="{sdk}" />
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>
    /// Builds the app in <paramref name="directory"/> and runs it with <paramref name="args"/> for at most
    /// <paramref name="runTimeout"/>; asserts both succeed and returns what it printed.
    /// </summary>
    public static async Task<string> BuildAndRunAsync(string directory, TimeSpan runTimeout, params string[] args)
    {
        var build = await Commands.RunAsync("dotnet", directory, TimeSpan.FromMinutes(5), "build", "-nologo", "-v", "q");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = await Commands.RunAsync("dotnet", directory, runTimeout, ["run", "--no-build", "--", .. args]);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Output;
    }
}
