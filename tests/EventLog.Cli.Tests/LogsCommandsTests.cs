using System.Text;
using EventLog.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Cli.Tests;

/// <summary>Guest log commands against a server with a real guest agent (the SDK's host) publishing a file.</summary>
public sealed class LogsCommandsTests : IAsyncLifetime
{
    private const string Instance = "inst-cli";
    private readonly CancellationTokenSource _stopAgent = new();
    private EventLogHost _server = null!;
    private Task _agent = null!;
    private string _guestFile = null!;

    public async Task InitializeAsync()
    {
        _server = await SdkHost.StartAsync();
        var directory = Path.Combine(_server.DataDirectory, "guest");
        Directory.CreateDirectory(directory);
        _guestFile = Path.Combine(directory, "guest.log");
        // Bytes that must survive the round trip exactly: UTF-8, tabs, CRLF, a long line.
        await File.WriteAllBytesAsync(_guestFile, Encoding.UTF8.GetBytes("2024-01-01 agent started\ncaf\u00e9 \u00fcber \u65e5\u672c\tTAB\r\n" + new string('x', 70_000) + "\nlast line\n"));
        var host = new GuestAgentHost(_server.CreateClient(TestTokens.AgentA).GuestLogs, new GuestAgentOptions
        {
            InstanceId = Instance,
            Datastore = "mysql",
            Logs =
            [
                new GuestAgentLog { Name = "guest", FilePath = _guestFile, Type = GuestLogType.Sys },
                new GuestAgentLog { Name = "general", FilePath = Path.Combine(directory, "general.log"), Type = GuestLogType.User },
            ],
        });
        _agent = Task.Run(() => host.RunAsync(_stopAgent.Token));
        var probe = _server.CreateClient(TestTokens.Admin);
        await TestTimeouts.EventuallyAsync(async () =>
        {
            try
            {
                await probe.GuestLogs.GetLogAsync(Instance, "guest");
                return true;
            }
            catch (EventLogException)
            {
                return false;
            }
        }, "the agent to register");
        await Task.Delay(300);
    }

    public async Task DisposeAsync()
    {
        await _stopAgent.CancelAsync();
        await _agent.WaitAsync(TestTimeouts.Default);
        await _server.DisposeAsync();
    }

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(_server.Address, TestTokens.MemberA, args);

    [Fact]
    public async Task List_ShowsTroveColumns()
    {
        var result = await RunAsync("logs", "list", Instance);

        Assert.True(result.ExitCode == 0, result.ToString());
        var header = result.Output.Split('\n')[1];
        Assert.Equal(["Name", "Type", "Status", "Published", "Pending"], header.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("| guest ", result.Output, StringComparison.Ordinal);
        Assert.Contains("SYS", result.Output, StringComparison.Ordinal);
        Assert.Contains("USER", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishThenSave_WritesAByteIdenticalFile()
    {
        var publish = await RunAsync("logs", "publish", Instance, "guest");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.Contains("Published", publish.Output, StringComparison.Ordinal);

        var target = Path.Combine(_server.DataDirectory, "saved.log");
        var save = await RunAsync("logs", "save", Instance, "guest", "--file", target);

        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(_guestFile), await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task Publish_DisableDiscard_RepublishesFromTheStart_ThenDisablesTheUserLog()
    {
        var general = Path.Combine(_server.DataDirectory, "guest", "general.log");
        await File.WriteAllTextAsync(general, "select 1;\nselect 2;\n");
        var first = await RunAsync("logs", "publish", Instance, "general");
        Assert.True(first.ExitCode == 0, first.ToString());

        // Same size, same first line: only --discard makes the agent publish the changed bytes.
        await File.WriteAllTextAsync(general, "select 1;\nSELECT 2;\n");
        var publish = await RunAsync("logs", "publish", Instance, "general", "--disable", "--discard");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.Contains("Disabled", publish.Output, StringComparison.Ordinal);

        var target = Path.Combine(_server.DataDirectory, "general-saved.log");
        var save = await RunAsync("logs", "save", Instance, "general", "--file", target);
        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.Equal("select 1;\nSELECT 2;\n", await File.ReadAllTextAsync(target));

        var sys = await RunAsync("logs", "publish", Instance, "guest", "--disable");
        Assert.True(sys.ExitCode == ExitCodes.Invalid, sys.ToString());
    }

    [Fact]
    public async Task PublishAndSave_WithProgress_ReportOnStderr_ScriptsGetNoneByDefault()
    {
        var size = new FileInfo(_guestFile).Length;
        var publish = await RunAsync("logs", "publish", Instance, "guest", "--progress");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.Matches(@"published guest: \d+\.\d KiB of \d+\.\d KiB \(100%\)", publish.Error);
        Assert.DoesNotContain("published guest:", publish.Output, StringComparison.Ordinal);

        var file = Path.Combine(_server.DataDirectory, "progress.log");
        var save = await RunAsync("logs", "save", Instance, "guest", "--file", file, "--progress");
        Assert.True(save.ExitCode == 0, save.ToString());
        var expected = (size / 1024.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"saved guest: {expected} KiB of {expected} KiB (100%)", save.Error, StringComparison.Ordinal);
        Assert.StartsWith("Saved ", save.Output, StringComparison.Ordinal);

        // Redirected stderr and no flag: a script's stderr stays free of progress.
        var quiet = await RunAsync("logs", "save", Instance, "guest", "--file", file, "--publish");
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("guest:", quiet.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_LastLines_AndJson()
    {
        await RunAsync("logs", "publish", Instance, "guest");

        var tail = await RunAsync("logs", "tail", Instance, "guest", "--lines", "1");
        Assert.True(tail.ExitCode == 0, tail.ToString());
        Assert.Equal("last line", tail.Output.Trim());

        var json = await RunAsync("logs", "tail", Instance, "guest", "--lines", "0", "--json");
        var lines = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal("2024-01-01 agent started", lines[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task TailAndSave_AfterTheStartExpired_PrintTheLinesLeft_AndANoteOnStderr()
    {
        var publish = await RunAsync("logs", "publish", Instance, "guest");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        // The file is stored as three chunks: lines 1-2, the long line 3, line 4. Retention takes the oldest one.
        var repository = _server.Services.GetRequiredService<Storage.GuestLogs.IGuestLogRepository>();
        Assert.Equal(1, await repository.ReapExpiredChunksAsync(DateTime.UtcNow.AddDays(31), 1).WaitAsync(TestTimeouts.Default));

        var tail = await RunAsync("logs", "tail", Instance, "guest", "--lines", "0");
        Assert.True(tail.ExitCode == 0, tail.ToString());
        Assert.Equal([new string('x', 70_000), "last line"], tail.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["note: lines 1-2 of this log expired; it starts at line 3"], tail.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var last = await RunAsync("logs", "tail", Instance, "guest", "--lines", "1");
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.Equal("last line", last.Output.Trim());
        Assert.Contains("it starts at line 3", last.Error, StringComparison.Ordinal);

        var original = await File.ReadAllBytesAsync(_guestFile);
        var expired = Array.IndexOf(original, (byte)'\n', Array.IndexOf(original, (byte)'\n') + 1) + 1;
        var target = Path.Combine(_server.DataDirectory, "saved-expired.log");
        var save = await RunAsync("logs", "save", Instance, "guest", "--file", target);
        Assert.True(save.ExitCode == 0, save.ToString());
        Assert.Equal(original[expired..], await File.ReadAllBytesAsync(target));
        Assert.Equal($"note: lines 1-2 ({expired} bytes) of this log expired; it starts at line 3", save.Error.Trim());

        var show = await RunAsync("logs", "show", Instance, "guest", "--json");
        using var document = JsonDocument.Parse(show.Output);
        // Protobuf's JSON writes int64 as strings.
        long Int64(string name) => long.Parse(document.RootElement.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((2L, 3L, original.Length - expired), (Int64("lineCount"), Int64("firstAvailableLine"), Int64("publishedBytes")));
    }

    [Fact]
    public async Task EnableSysLog_ExitsInvalid_UnknownLog_ExitsNotFound()
    {
        var enable = await RunAsync("logs", "enable", Instance, "guest");
        Assert.True(enable.ExitCode == ExitCodes.Invalid, enable.ToString());

        var missing = await RunAsync("logs", "show", Instance, "no_such_log");
        Assert.True(missing.ExitCode == ExitCodes.NotFound, missing.ToString());
    }

    [Fact]
    public async Task EnableDisable_UserLog()
    {
        var enable = await RunAsync("logs", "enable", Instance, "general", "--json");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        using (var document = JsonDocument.Parse(enable.Output))
        {
            Assert.Equal("general", document.RootElement.GetProperty("name").GetString());
        }

        var disable = await RunAsync("logs", "disable", Instance, "general");
        Assert.True(disable.ExitCode == 0, disable.ToString());
        Assert.Contains("Disabled", disable.Output, StringComparison.Ordinal);
    }
}
