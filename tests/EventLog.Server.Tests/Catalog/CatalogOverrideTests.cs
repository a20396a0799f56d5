using EventLog.V1;
using Microsoft.Extensions.Options;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.Catalog;

/// <summary>
/// A deployer's catalog file (Catalog:Path) over the built-in catalog, as Cinder lets deployers edit their message
/// constants: overrides and new codes show in every RPC that renders text; a bad file stops startup.
/// </summary>
public sealed class CatalogOverrideTests
{
    private const string DeployerCatalog = """
        {
          // Comments and trailing commas are allowed.
          "requestMessages": {
            "pt-BR": {
              "WOKASYNC0002L": "Erro na tarefa {app} nº {task_id} ({target_uri})",
              "KCHVM0099E": "disco '{disk}' cheio",
            },
            "en": { "KCHVM0099E": "disk '{disk}' is full" }
          },
          "actions": {
            "en": { "901": "resize share" },
            "pt-BR": { "001": "agendar a alocação do volume", "901": "redimensionar o compartilhamento" }
          },
          "details": { "en": { "901": "Share quota exceeded." } }
        }
        """;

    [Fact]
    public async Task DeployerFile_OverridesATemplateAndAddsCodes_AsRenderedByTaskLogAndMessages()
    {
        using var folder = new TempDirectory("eventlog-catalog-");
        await File.WriteAllTextAsync(folder.File("catalog.json"), DeployerCatalog).WaitAsync(CallTimeout);
        await using var kit = await StartAsync(("Catalog:Path", folder.File("catalog.json")));

        // A new detail code is accepted by FailTask and renders in the default locale; the message code keeps its built-in English.
        var task = await kit.StartTaskAsync("/plugins/kimchi/vms/vm7/clone");
        var fail = new FailTaskRequest { TaskId = task.Id, DetailCode = "KCHVM0099E" };
        fail.DetailParams["disk"] = "sda";
        var failed = await kit.Agent.FailTaskAsync(fail, deadline: Deadline);
        Assert.Equal($"Failure on Kimchi task ID {task.Id}: /plugins/kimchi/vms/vm7/clone (KCHVM0099E disk 'sda' is full)", failed.Entry.Message);
        Assert.Equal("disk 'sda' is full", failed.Task.DetailMessage);

        // pt-BR: the overridden message template and the new detail; other pt-BR codes keep their built-in text.
        var listed = await kit.Reader.ListRequestsAsync(new ListRequestsRequest { Locale = "pt-BR", Filter = new RequestFilter { TaskId = task.Id }, OldestFirst = true }, deadline: Deadline);
        Assert.Equal(
            [$"Iniciada a tarefa Kimchi de ID {task.Id}: /plugins/kimchi/vms/vm7/clone", $"Erro na tarefa Kimchi nº {task.Id} (/plugins/kimchi/vms/vm7/clone) (KCHVM0099E disco 'sda' cheio)"],
            listed.Entries.Select(e => e.Message));
        Assert.Equal("disco 'sda' cheio", (await kit.Reader.GetTaskAsync(new GetTaskRequest { TaskId = task.Id, Locale = "pt-BR" }, deadline: Deadline)).Task.DetailMessage);

        using var export = kit.Reader.ExportRequests(new ExportRequestsRequest { Locale = "pt-BR", TimeZone = "America/Sao_Paulo", Filter = new RequestFilter { TaskId = task.Id, Status = 1002 } }, deadline: Deadline);
        var line = Assert.Single((await NextAsync(export.ResponseStream))!.Lines);
        Assert.Null(await NextAsync(export.ResponseStream));
        Assert.Matches(@"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d BRS?T\] TASK 1002 kimchi Erro na tarefa Kimchi nº \d+ \(/plugins/kimchi/vms/vm7/clone\) \(KCHVM0099E disco 'sda' cheio\)$", line);

        // Messages: new action and detail codes render in user_message; a pt-BR action override with an English detail.
        var messages = new MessagesService.MessagesServiceClient(kit.Server.CreateChannel(TestTokens.AgentA));
        var reader = new MessagesService.MessagesServiceClient(kit.Server.CreateChannel(TestTokens.ReaderA));
        var created = (await messages.CreateMessageAsync(new CreateMessageRequest { RequestId = "req-share", ActionCode = "901", DetailCode = "901", Level = MessageLevel.Error, ResourceType = "share" }, deadline: Deadline)).Message;
        Assert.Equal("resize share: Share quota exceeded.", created.UserMessage);
        var read = await reader.GetMessageAsync(new GetMessageRequest { Id = created.Id, Locale = "pt-BR" }, deadline: Deadline);
        Assert.Equal("redimensionar o compartilhamento: Share quota exceeded.", read.Message.UserMessage);
        await messages.CreateMessageAsync(new CreateMessageRequest { RequestId = "req-vol", ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error, ResourceType = "volume" }, deadline: Deadline);
        var volumes = await reader.ListMessagesAsync(new ListMessagesRequest { ResourceType = "volume", Locale = "pt-BR" }, deadline: Deadline);
        Assert.Equal("agendar a alocação do volume: Could not find any available weighted backend.", Assert.Single(volumes.Messages).UserMessage);

        // Codes neither catalog has stay INVALID_ARGUMENT.
        await RpcAssert.InvalidArgumentAsync("action_code", () => messages.CreateMessageAsync(new CreateMessageRequest { RequestId = "r", ActionCode = "902", DetailCode = "901", Level = MessageLevel.Error }, deadline: Deadline).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync("detail_code", () => kit.Agent.FailTaskAsync(new FailTaskRequest { TaskId = task.Id, DetailCode = "KCHVM0098E" }, deadline: Deadline).ResponseAsync);
    }

    [Fact]
    public async Task WithoutTheFile_TheDeployersCodesAreUnknown()
    {
        await using var kit = await StartAsync();
        var messages = new MessagesService.MessagesServiceClient(kit.Server.CreateChannel(TestTokens.AgentA));
        await RpcAssert.InvalidArgumentAsync("action_code", () => messages.CreateMessageAsync(new CreateMessageRequest { RequestId = "r", ActionCode = "901", DetailCode = "001", Level = MessageLevel.Error }, deadline: Deadline).ResponseAsync);
    }

    [Theory]
    [InlineData("""{ "requestMessages": { "en": { "X1": "a" } """, "cannot be read")]
    [InlineData("""{ "requestMessage": { "en": { "X1": "a" } } }""", "requestMessage")]
    [InlineData("""{ "requestMessages": { "pt-BR": { "KCHVM0001E": "falha ao clonar a vm '{vm" } } }""", "requestMessages.pt-BR.KCHVM0001E: the '{' at position 22 is not closed by '}'")]
    [InlineData("""{ "requestMessages": { "en": { "X1": "{not a name}" } } }""", "requestMessages.en.X1: '{not a name}' does not name a parameter")]
    [InlineData("""{ "actions": { "pt BR": { "001": "agendar" } } }""", "actions.pt BR: 'pt BR' is not a BCP 47 language tag")]
    [InlineData("""{ "details": { "en": { "901": "" } } }""", "details.en.901: the template is empty")]
    [InlineData("""{ "details": { "en": { "a code": "text" } } }""", "details.en.a code: a code must be 1-64 characters without spaces")]
    [InlineData("null", "is empty")]
    public async Task BadFile_FailsStartupValidation_NamingTheFileAndTheProblem(string content, string problem)
    {
        using var folder = new TempDirectory("eventlog-catalog-");
        var path = folder.File("catalog.json");
        await File.WriteAllTextAsync(path, content).WaitAsync(CallTimeout);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EventLogHost.StartAsync([new("Catalog:Path", path)]).WaitAsync(CallTimeout));

        Assert.Contains("Catalog:Path", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_FailsStartupValidation()
    {
        using var folder = new TempDirectory("eventlog-catalog-");
        var path = folder.File("no-such-catalog.json");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EventLogHost.StartAsync([new("Catalog:Path", path)]).WaitAsync(CallTimeout));

        Assert.Contains($"Catalog:Path: Catalog file '{path}' cannot be read", ex.Message, StringComparison.Ordinal);
    }
}
