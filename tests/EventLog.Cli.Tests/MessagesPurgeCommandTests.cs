using System.Globalization;
using EventLog.V1;

namespace EventLog.Cli.Tests;

/// <summary><c>eventlog messages purge</c>, on a server of its own: a purge deletes other tests' messages too.</summary>
public sealed class MessagesPurgeCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Purge_AdminDeletesBeforeATime_PerProjectOrAll_MembersAreDenied()
    {
        var agentB = fixture.Server.CreateClient(TestTokens.AgentB);
        var request = new CreateMessageRequest { ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error };
        for (var i = 0; i < 3; i++)
        {
            await fixture.Agent.Messages.CreateMessageAsync(new CreateMessageRequest(request) { RequestId = $"req-purge-a{i}" }).WithTimeout();
        }
        var inB = await agentB.Messages.CreateMessageAsync(new CreateMessageRequest(request) { RequestId = "req-purge-b" }).WithTimeout();
        var cutoff = DateTime.UtcNow.AddMinutes(1).ToString("o", CultureInfo.InvariantCulture);

        var member = await fixture.RunAsync("messages", "purge", "--before", cutoff);
        Assert.True(member.ExitCode == ExitCodes.Unauthorized, member.ToString());
        var nothingAsked = await CliRunner.RunAsync(fixture.Address, TestTokens.Admin, "messages", "purge", "--all-projects");
        Assert.True(nothingAsked.ExitCode == ExitCodes.Invalid, nothingAsked.ToString());

        var projectA = await CliRunner.RunAsync(fixture.Address, TestTokens.Admin, "--project", TestTokens.ProjectA, "messages", "purge", "--before", cutoff);
        Assert.True(projectA.ExitCode == 0, projectA.ToString());
        Assert.Equal("Deleted 3 messages.", projectA.Output.Trim());
        Assert.Equal(inB.Id, (await agentB.Messages.GetMessageAsync(inB.Id).WithTimeout()).Id);

        var all = await CliRunner.RunAsync(fixture.Address, TestTokens.Admin, "messages", "purge", "--all-projects", "--before", cutoff, "--expired", "--json");
        Assert.True(all.ExitCode == 0, all.ToString());
        using var document = JsonDocument.Parse(all.Output);
        Assert.Equal(1, document.RootElement.GetProperty("deleted").GetInt64());
        var gone = await Assert.ThrowsAsync<EventLogException>(() => agentB.Messages.GetMessageAsync(inB.Id).WithTimeout());
        Assert.Equal(Grpc.Core.StatusCode.NotFound, gone.StatusCode);
    }
}
