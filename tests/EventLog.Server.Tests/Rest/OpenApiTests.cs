using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventLog.V1;
using Google.Api;
using Google.Protobuf.Reflection;

namespace EventLog.Server.Tests.Rest;

/// <summary>The OpenAPI document describes every HTTP rule of the contract, and is served without a token.</summary>
public sealed partial class OpenApiTests
{
    /// <summary>The RPCs only agents and services call: everything else has an HTTP rule.</summary>
    private static readonly string[] AgentAndServiceWrites =
    [
        "RecordRequest", "StartTask", "ReportTaskProgress", "AppendTaskLog", "CompleteTask", "FailTask", "ConfirmTaskCancelled",
        "CreateMessage", "DeclarePlan", "RegisterStepList", "StartStep", "RecordEvents", "CompleteStep",
        "RegisterLogs", "AgentCommands", "UploadLog", "ReportCommandResult", "ReportRestart",
    ];

    private static readonly Google.Protobuf.Reflection.ServiceDescriptor[] Services =
        [TaskLogService.Descriptor, MessagesService.Descriptor, ProvisioningService.Descriptor, GuestLogsService.Descriptor];

    [Fact]
    public void EveryReadAndUserAction_HasAnHttpRuleUnderV1Projects()
    {
        var methods = Services.SelectMany(s => s.Methods).ToList();

        Assert.Equal(AgentAndServiceWrites.Order(StringComparer.Ordinal), methods.Where(m => Rule(m) is null).Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(methods.Select(Rule).OfType<HttpRule>(), rule => Assert.StartsWith("/v1/projects/{project}/", Path(rule), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Document_ListsEveryRuleWithItsMethod_WithoutAToken()
    {
        await using var server = await EventLogHost.StartAsync();

        using var response = await server.CreateHttpClient(token: null).GetAsync("/openapi/v1.json").WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().WithTimeout());

        // The document names path variables by their JSON names ({taskId}); compare the templates without them.
        var described = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {Variable().Replace(path.Name, "{}")}"))
            .Order(StringComparer.Ordinal);
        var rules = Services.SelectMany(s => s.Methods).Select(Rule).OfType<HttpRule>()
            .Select(rule => $"{rule.PatternCase.ToString().ToUpperInvariant()} {Variable().Replace(Path(rule), "{}")}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(rules, described);
        Assert.True(document.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("Status", out _), "errors are not described");
    }

    private static HttpRule? Rule(MethodDescriptor method) => method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);

    private static string Path(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => rule.Get,
        HttpRule.PatternOneofCase.Post => rule.Post,
        HttpRule.PatternOneofCase.Delete => rule.Delete,
        HttpRule.PatternOneofCase.Put => rule.Put,
        HttpRule.PatternOneofCase.Patch => rule.Patch,
        _ => rule.Custom.Path,
    };

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Variable();
}
