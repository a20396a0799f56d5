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
    public async Task Watch_PrintsOnlyNewMessages_ByDefault_AndFromASequence_UntilCtrlC()
    {
        var before = await CreateAsync("req-w0", Guid.NewGuid().ToString());
        var watch = CliRunner.Start(fixture.Address, TestTokens.MemberA, "messages", "watch", "--json");
        // The watch starts after the newest message it finds; keep creating until one shows up.
        var created = new List<Message>();
        await TestTimeouts.EventuallyAsync(async () =>
        {
            created.Add(await CreateAsync("req-w" + created.Count, Guid.NewGuid().ToString()));
            return created.Any(m => watch.Output.Contains(m.Id, StringComparison.Ordinal));
        }, "a new message in the watch");
        watch.Interrupt();
        var result = await watch.WaitAsync();
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.DoesNotContain(before.Id, result.Output, StringComparison.Ordinal);
        var first = JsonDocument.Parse(result.Output.Split('\n')[0]).RootElement;
        Assert.Contains(created, m => m.Id == first.GetProperty("id").GetString());

        // From a sequence: the messages after it, in order, as lines for people.
        var from = CliRunner.Start(fixture.Address, TestTokens.MemberA, "messages", "watch", "--after", before.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await from.WaitForOutputAsync(created[^1].Id);
        from.Interrupt();
        var lines = (await from.WaitAsync()).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(created.Select(m => m.Id), lines.Take(created.Count).Select(l => l[(l.LastIndexOf('[') + 1)..l.LastIndexOf(']')]));
        Assert.Contains("ERROR", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Locale_RendersCatalogTextInThatLanguage()
    {
        var volume = Guid.NewGuid().ToString();
        var message = await CreateAsync("req-l1", volume);
        var english = await fixture.RunAsync("messages", "show", message.Id, "--json");
        Assert.Contains("schedule allocate volume", english.Output, StringComparison.Ordinal);

        foreach (var args in new[] { new[] { "messages", "show", message.Id }, ["messages", "list", "--resource-uuid", volume], ["messages", "export", "--resource-uuid", volume] })
        {
            var chinese = await fixture.RunAsync([.. args, "--locale", "zh-CN"]);
            Assert.True(chinese.ExitCode == 0, chinese.ToString());
            Assert.Contains("调度分配卷", chinese.Output, StringComparison.Ordinal);
        }
        var bad = await fixture.RunAsync("messages", "list", "--locale", "not a locale!");
        Assert.True(bad.ExitCode == ExitCodes.Invalid, bad.ToString());
    }

    [Fact]
    public async Task List_BadLevel_ExitsInvalid()
    {
        var result = await fixture.RunAsync("messages", "list", "--level", "catastrophic");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
    }
}
