using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.V1;

namespace EventLog.Cli.Commands;

internal static partial class MessagesCommands
{
    private static readonly Export.Column<Message>[] CsvColumns =
    [
        new("id", m => m.Id), new("project", m => m.Project), new("sequence", m => m.Sequence),
        new("created_at", m => m.CreatedAt), new("expires_at", m => m.ExpiresAt), new("level", m => Format.Level(m.Level)),
        new("resource_type", m => m.ResourceType), new("resource_uuid", m => m.ResourceUuid),
        new("action_code", m => m.ActionCode), new("detail_code", m => m.DetailCode), new("request_id", m => m.RequestId),
        new("host", m => m.Host), new("user", m => m.User), new("user_message", m => m.UserMessage),
    ];

    private static Command Watch()
    {
        var after = new Option<long?>("--after") { Description = "Start after this message sequence; 0 for every retained message. Default: only messages created from now on" };
        var command = new Command("watch", "Print the project's messages as they are created, until Ctrl+C; survives reconnects and server restarts") { after };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var start = ctx.Get(after) ?? await NewestSequenceAsync(ctx, ct);
            if (start < 0)
            {
                throw new UsageException("--after must not be negative.");
            }
            await foreach (var m in ctx.Client.Messages.WatchMessagesAsync(start, ctx.StreamOptions, ct))
            {
                if (ctx.Json)
                {
                    Json.WriteLine(ctx.Out, m);
                }
                else
                {
                    ctx.Out.WriteLine($"{Format.Time(m.CreatedAt)}  {Format.Level(m.Level),-7}  {m.ResourceType} {m.ResourceUuid}  {m.DetailCode}  {m.UserMessage}  [{m.Id}]");
                }
                ctx.Out.Flush();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The sequence of the newest message now stored (0 when there is none): a watch after it shows only new ones.</summary>
    private static async Task<long> NewestSequenceAsync(CommandContext ctx, CancellationToken ct)
    {
        var page = await ctx.Client.Messages.ListMessagesPageAsync(new ListMessagesRequest { PageSize = 1 }, ct);
        return page.Messages.Count == 0 ? 0 : page.Messages[0].Sequence;
    }

    private static Command ExportMessages()
    {
        var filter = new FilterOptions();
        var format = Parsing.Format();
        var output = Parsing.OutputFile();
        var command = new Command("export", "Export messages, newest first, for other tools: JSON Lines or CSV (with a header row)") { format, output };
        filter.AddTo(command);
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var messages = ctx.Client.Messages.ListMessagesAsync(filter.Build(ctx), ct);
            await Export.WriteAsync(ctx.Out, ctx.Get(output), ctx.Get(format)!, messages, CsvColumns, ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
