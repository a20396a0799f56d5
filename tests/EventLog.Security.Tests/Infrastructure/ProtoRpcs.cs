using System.Text.RegularExpressions;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>
/// The RPCs declared in the source of the contract, <c>protos/eventlog/v1/*.proto</c>, read as text: an
/// independent list to hold the generated descriptors (and so the matrix and the fuzzer) against.
/// </summary>
public static partial class ProtoRpcs
{
    /// <summary>The folder of the proto files.</summary>
    public static string Directory { get; } = Path.Combine(FindRoot(), "protos", "eventlog", "v1");

    /// <summary>Every <c>rpc</c> of every service, as <c>/package.Service/Method</c>.</summary>
    public static IReadOnlySet<string> FullNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.proto"))
        {
            var text = Comments().Replace(File.ReadAllText(file), "");
            var package = Package().Match(text) is { Success: true } p ? p.Groups["name"].Value : "";
            foreach (Match service in Service().Matches(text))
            {
                foreach (Match rpc in Rpc().Matches(service.Groups["body"].Value))
                {
                    var name = $"/{package}.{service.Groups["name"].Value}/{rpc.Groups["name"].Value}";
                    Assert.True(names.Add(name), $"{name} is declared twice");
                }
            }
        }
        return names;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventLogGrpc.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (EventLogGrpc.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^\s*package\s+(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Package();

    // Service bodies hold rpc declarations and option blocks, never a nested '}' at the start of a line.
    [GeneratedRegex(@"\bservice\s+(?<name>\w+)\s*\{(?<body>.*?)^\}", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Service();

    [GeneratedRegex(@"\brpc\s+(?<name>\w+)\s*\(")]
    private static partial Regex Rpc();
}
