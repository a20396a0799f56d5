using EventLog.V1;

namespace EventLog.Cli.Tests;

public sealed class TasksCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task TailFollow_InterruptedWithCtrlC_Exits130()
    {
        var started = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/interrupt" }).WithTimeout();
        await fixture.Agent.Tasks.AppendLogAsync(started.Task.Id, ["first line"], firstLineNumber: 1).WithTimeout();
        var tail = CliRunner.Start(fixture.Address, TestTokens.MemberA, "tasks", "tail", started.Task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--follow");
        await tail.WaitForOutputAsync("first line");

        tail.Interrupt();
        var result = await tail.WaitAsync();

        Assert.True(result.ExitCode == 130, result.ToString());
    }

    [Fact]
    public async Task List_PrintsTableAndJson()
    {
        var started = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/list/clone" }).WithTimeout();

        var table = await fixture.RunAsync("tasks", "list", "--app", "kimchi");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("| ID ", table.Output, StringComparison.Ordinal);
        Assert.Contains("/vms/list/clone", table.Output, StringComparison.Ordinal);
        Assert.Contains("RUNNING", table.Output, StringComparison.Ordinal);

        var json = await fixture.RunAsync("tasks", "list", "--app", "kimchi", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Output);
        Assert.Contains(document.RootElement.EnumerateArray(), t => t.GetProperty("id").GetString() == started.Task.Id.ToString());
    }

    [Fact]
    public async Task Show_ById_ActiveAndLast()
    {
        var started = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/show/clone" }).WithTimeout();

        var byId = await fixture.RunAsync("tasks", "show", started.Task.Id.ToString());
        Assert.True(byId.ExitCode == 0, byId.ToString());
        Assert.Contains("| target_uri ", byId.Output, StringComparison.Ordinal);
        Assert.Contains("/vms/show/clone", byId.Output, StringComparison.Ordinal);

        var active = await fixture.RunAsync("tasks", "show", "active", "--target", "/vms/show/clone", "--json");
        Assert.True(active.ExitCode == 0, active.ToString());
        using (var document = JsonDocument.Parse(active.Output))
        {
            Assert.Equal(started.Task.Id.ToString(), document.RootElement.GetProperty("id").GetString());
        }

        var noneFinished = await fixture.RunAsync("tasks", "show", "last", "--target", "/vms/show/clone");
        Assert.Equal(ExitCodes.NotFound, noneFinished.ExitCode);
    }

    [Fact]
    public async Task Show_Missing_ExitsNotFound()
    {
        var result = await fixture.RunAsync("tasks", "show", "987654");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("NotFound", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("tasks", "show", "not-a-number")]
    [InlineData("tasks", "list", "--state", "bogus")]
    [InlineData("tasks", "list", "--since", "yesterday-ish")]
    [InlineData("tasks")]
    [InlineData("tasks", "tail")]
    public async Task InvalidInput_ExitsInvalid(params string[] args)
    {
        var result = await fixture.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDown_ExitsUnavailable()
    {
        var result = await CliRunner.RunAsync(new Uri("http://127.0.0.1:1"), TestTokens.MemberA, "tasks", "list");

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
    }

    [Fact]
    public async Task NoToken_ExitsUnauthorized()
    {
        var result = await CliRunner.RunAsync(fixture.Address, null, "tasks", "list");

        Assert.Equal(ExitCodes.Unauthorized, result.ExitCode);
        Assert.Contains("EVENTLOG_TOKEN", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_Follow_PrintsEveryLineUntilTheTaskEnds()
    {
        var started = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/tail/clone" }).WithTimeout();
        var id = started.Task.Id;
        await fixture.Agent.Tasks.AppendLogAsync(id, ["one", "two"], 1).WithTimeout();

        var tail = CliRunner.Start(fixture.Address, TestTokens.MemberA, "tasks", "tail", id.ToString(), "--follow");
        await tail.WaitForOutputAsync("two");
        await fixture.Agent.Tasks.AppendLogAsync(id, ["three"], 3).WithTimeout();
        await fixture.Agent.Tasks.CompleteTaskAsync(id).WithTimeout();
        var result = await tail.WaitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["one", "two", "three"], result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var json = await fixture.RunAsync("tasks", "tail", id.ToString(), "--json");
        var lines = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2, 3], lines.Select(l => l.GetProperty("line").GetInt32()));
    }

    [Fact]
    public async Task Wait_ExitCodeFollowsTheOutcome()
    {
        var ok = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/wait-ok/clone" }).WithTimeout();
        await fixture.Agent.Tasks.CompleteTaskAsync(ok.Task.Id).WithTimeout();
        var failed = await fixture.Agent.Tasks.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/vms/wait-failed/clone" }).WithTimeout();
        await fixture.Agent.Tasks.FailTaskAsync(failed.Task.Id, "KCHVM0001E", new Dictionary<string, string> { ["vm"] = "x" }).WithTimeout();

        var succeeded = await fixture.RunAsync("tasks", "wait", ok.Task.Id.ToString());
        var failure = await fixture.RunAsync("tasks", "wait", failed.Task.Id.ToString());

        Assert.True(succeeded.ExitCode == 0, succeeded.ToString());
        Assert.Contains("SUCCEEDED", succeeded.Output, StringComparison.Ordinal);
        Assert.True(failure.ExitCode == ExitCodes.OperationFailed, failure.ToString());
        Assert.Contains("KCHVM0001E", failure.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RecordsProgramOutputAsTheTaskLog()
    {
        var result = await CliRunner.RunAsync(fixture.Address, TestTokens.AgentA, "tasks", "run", "--app", "shell", "--target", "/cli/run", "--", "sh", "-c", "echo hello; echo world");

        Assert.True(result.ExitCode == 0, result.ToString());
        var task = await fixture.Agent.Tasks.GetLastTaskAsync("/cli/run").WithTimeout();
        Assert.Equal(TaskState.Succeeded, task.State);
        var lines = await fixture.Agent.Tasks.TailLogAsync(task.Id).TakeAsync(10);
        Assert.Equal(["hello", "world"], lines.Select(l => l.Text));
    }
}
