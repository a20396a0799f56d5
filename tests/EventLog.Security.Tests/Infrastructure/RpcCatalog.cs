using Google.Protobuf.Reflection;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>Every RPC of the four EventLog services, read from the generated descriptors, so a new RPC is tested without editing a list.</summary>
public static class RpcCatalog
{
    /// <summary>The four services.</summary>
    public static IReadOnlyList<Google.Protobuf.Reflection.ServiceDescriptor> Services { get; } =
    [
        EventLog.V1.TaskLogService.Descriptor,
        EventLog.V1.MessagesService.Descriptor,
        EventLog.V1.ProvisioningService.Descriptor,
        EventLog.V1.GuestLogsService.Descriptor,
    ];

    /// <summary>Every method, by full name (<c>/eventlog.v1.TaskLogService/GetTask</c>).</summary>
    public static IReadOnlyDictionary<string, MethodDescriptor> Methods { get; } =
        Services.SelectMany(s => s.Methods).ToDictionary(FullName, StringComparer.Ordinal);

    /// <summary>The verbs of read-only RPCs; everything else records or changes something.</summary>
    public static IReadOnlyList<string> ReadVerbs { get; } = ["Get", "List", "Watch", "Tail", "Wait", "Save", "Export"];

    /// <summary>The path of a method.</summary>
    public static string FullName(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>Whether a method only reads.</summary>
    public static bool IsRead(MethodDescriptor method) => ReadVerbs.Any(v => method.Name.StartsWith(v, StringComparison.Ordinal));

    /// <summary>Every method's full name, sorted.</summary>
    public static IReadOnlyList<string> MethodNames { get; } = [.. Methods.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The full names of the methods that record, change or delete something, sorted.</summary>
    public static IReadOnlyList<string> WriteMethodNames { get; } = [.. MethodNames.Where(n => !IsRead(Methods[n]))];
}
