using System.Text.Json;
using EventLog.Cli.Tests.Infrastructure;
using EventLog.V1;

namespace EventLog.Cli.Tests;

public sealed class MessagesCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Task<Message> CreateAsync(string requestId, string resourceUuid) => fixture.Agent.Messages.CreateMessageAsync(new CreateMessageRequest
    {
        RequestId = requestId,
        ActionCode = "001",
        DetailCode = "003",
        Level = MessageLevel.Error,
        ResourceType = "volume",
        ResourceUuid = resourceUuid,
        Host = "cinder-1",
    }).WithTimeout();

    [Fact]
    public async Task ListShowDelete()
    {
        var volume = Guid.NewGuid().ToString();
        var message = await CreateAsync("req-m1", volume);

        var list = await fixture.RunAsync("messages", "list", "--resource-uuid", volume);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(message.Id, list.Output, StringComparison.Ordinal);
        Assert.Contains("ERROR", list.Output, StringComparison.Ordinal);

        var show = await fixture.RunAsync("messages", "show", message.Id, "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        using (var document = JsonDocument.Parse(show.Output))
        {
            Assert.Equal("req-m1", document.RootElement.GetProperty("requestId").GetString());
            Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("userMessage").GetString()));
        }

        var delete = await fixture.RunAsync("messages", "delete", message.Id);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        var gone = await fixture.RunAsync("messages", "show", message.Id);
        Assert.Equal(ExitCodes.NotFound, gone.ExitCode);
    }

    [Fact]
    public async Task List_Filters_AreApplied()
    {
        var volume = Guid.NewGuid().ToString();
        await CreateAsync("req-f1", volume);
        await CreateAsync("req-f2", Guid.NewGuid().ToString());

        var json = await fixture.RunAsync("messages", "list", "--request-id", "req-f1", "--level", "error", "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal([volume], document.RootElement.EnumerateArray().Select(m => m.GetProperty("resourceUuid").GetString()));
    }

    [Fact]
    public async Task List_BadLevel_ExitsInvalid()
    {
        var result = await fixture.RunAsync("messages", "list", "--level", "catastrophic");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
    }
}
