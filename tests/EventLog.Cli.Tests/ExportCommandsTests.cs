using System.Text;
using EventLog.V1;

namespace EventLog.Cli.Tests;

/// <summary><c>messages export</c> and <c>progress export</c>: JSON Lines and CSV for other tools.</summary>
public sealed class ExportCommandsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task MessagesExport_JsonLinesAndCsv_WithFilters()
    {
        var host = "node-" + Guid.NewGuid().ToString("N")[..8];
        var created = new List<Message>();
        foreach (var user in new[] { "alice", "o'brien, \"ops\"" })
        {
            created.Add(await fixture.Agent.Messages.CreateMessageAsync(new CreateMessageRequest
            {
                RequestId = "req-" + Guid.NewGuid().ToString("N"), ActionCode = "001", DetailCode = "003", Level = MessageLevel.Warning,
                ResourceType = "volume", Host = host, User = user,
            }).WithTimeout());
        }

        var jsonl = await fixture.RunAsync("messages", "export", "--host", host);
        Assert.True(jsonl.ExitCode == 0, jsonl.ToString());
        var lines = jsonl.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // Newest first, every field present (empty ones too).
        Assert.Equal(created.Select(m => m.Id).Reverse(), parsed.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("o'brien, \"ops\"", parsed[0].GetProperty("user").GetString());
        Assert.Equal("", parsed[0].GetProperty("resourceUuid").GetString());

        var file = Path.Combine(fixture.Server.DataDirectory, "messages.csv");
        var csv = await fixture.RunAsync("messages", "export", "--host", host, "--format", "csv", "-o", file);
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal("", csv.Output);
        var rows = CsvRows(await File.ReadAllTextAsync(file));
        Assert.Equal(["id", "project", "sequence", "created_at", "expires_at", "level", "resource_type", "resource_uuid", "action_code", "detail_code", "request_id", "host", "user", "user_message"], rows[0]);
        Assert.Equal(3, rows.Count);
        var newest = rows[1];
        Assert.Equal(created[1].Id, newest[0]);
        Assert.Equal(created[1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), newest[2]);
        Assert.Equal(created[1].CreatedAt.ToDateTime(), DateTime.Parse(newest[3], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
        Assert.Equal("WARNING", newest[5]);
        Assert.Equal("o'brien, \"ops\"", newest[12]);
        Assert.Equal(created[1].UserMessage, newest[13]);
        Assert.False(File.Exists(file + ".partial"));
    }

    [Fact]
    public async Task ProgressExport_JsonLinesAndCsv_OfOneStep()
    {
        var cluster = "cluster-export-" + Guid.NewGuid().ToString("N")[..6];
        var plan = await fixture.Agent.Provisioning.BeginAsync(cluster, StepType.Creating, ["Launching instances", "Waiting for ssh"]).WithTimeout();
        var launch = await plan.StartStepAsync("Launching instances", total: 2).WithTimeout();
        await launch.ReportAsync("i-1", "node-1", successful: true).WithTimeout();
        await launch.ReportAsync("i-2", "node-2", successful: false, info: "no valid host, try again", errorId: "err-7").WithTimeout();
        var ssh = await plan.StartStepAsync("Waiting for ssh", total: 1).WithTimeout();
        await ssh.ReportAsync("i-1", "node-1", successful: true).WithTimeout();

        var all = await fixture.RunAsync("progress", "export", cluster);
        Assert.True(all.ExitCode == 0, all.ToString());
        var events = all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["i-1", "i-2", "i-1"], events.Select(e => e.GetProperty("instanceId").GetString()));

        var csv = await fixture.RunAsync("progress", "export", cluster, "--step", events[0].GetProperty("stepId").GetString()!, "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var rows = CsvRows(csv.Output);
        Assert.Equal(["id", "sequence", "cluster_id", "step_id", "node_group_id", "instance_id", "instance_name", "successful", "info", "error_id", "created_at", "node"], rows[0]);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["i-2", "node-2", "false", "no valid host, try again", "err-7"], rows[2][5..10]);
        Assert.Equal(cluster, rows[1][2]);
    }

    [Fact]
    public async Task Export_UnknownFormat_ExitsInvalid()
    {
        var result = await fixture.RunAsync("messages", "export", "--format", "xml");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
    }

    /// <summary>Rows of RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; rows end in CRLF.</summary>
    private static List<string[]> CsvRows(string text)
    {
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }
        return rows;
    }
}
