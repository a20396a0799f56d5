using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.V1;

namespace EventLog.Cli.Commands;

/// <summary><c>eventlog messages list|show|delete</c>.</summary>
internal static class MessagesCommands
{
    public static Command Create()
    {
        var messages = new Command("messages", "User-facing messages about failed operations: list with filters, show, delete");
        messages.Subcommands.Add(List());
        messages.Subcommands.Add(Show());
        messages.Subcommands.Add(Delete());
        return messages;
    }

    private static Argument<string> MessageId() => new("message-id") { Description = "The message's UUID" };

    private static Command List()
    {
        var resourceType = new Option<string?>("--resource-type") { Description = "Only messages about this resource type, e.g. volume" };
        var resourceUuid = new Option<string?>("--resource-uuid") { Description = "Only messages about this resource" };
        var action = new Option<string?>("--action") { Description = "Only messages with this action code, e.g. 001" };
        var detail = new Option<string?>("--detail", "--event-id") { Description = "Only messages with this detail code (event id)" };
        var requestId = new Option<string?>("--request-id") { Description = "Only messages of this user request" };
        var level = Parsing.Choice("--level", "Only messages of this level", Parsing.Levels);
        var since = Parsing.Since();
        var until = Parsing.Until();
        var limit = Parsing.Limit(50, "messages");
        var command = new Command("list", "List messages, newest first, with filters") { resourceType, resourceUuid, action, detail, requestId, level, since, until, limit };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var request = new ListMessagesRequest
            {
                ResourceType = ctx.Get(resourceType) ?? "",
                ResourceUuid = ctx.Get(resourceUuid) ?? "",
                ActionCode = ctx.Get(action) ?? "",
                DetailCode = ctx.Get(detail) ?? "",
                RequestId = ctx.Get(requestId) ?? "",
                Level = Parsing.Level(ctx.Get(level)),
                Created = Parsing.Range(ctx.Get(since), ctx.Get(until)),
                PageSize = TasksCommands.PageSize(ctx.Get(limit)),
            };
            var items = await Parsing.TakeAsync(ctx.Client.Messages.ListMessagesAsync(request, ct), ctx.Get(limit), ct);
            if (ctx.Json)
            {
                Json.WriteArray(ctx.Out, items);
                return ExitCodes.Success;
            }
            var table = new Table("ID", "Level", "Resource", "Resource UUID", "Event ID", "Request ID", "Host", "Created", "Message");
            foreach (var m in items)
            {
                table.Add(m.Id, Format.Level(m.Level), m.ResourceType, m.ResourceUuid, m.DetailCode, m.RequestId, m.Host, Format.Time(m.CreatedAt), m.UserMessage);
            }
            table.Write(ctx.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show()
    {
        var id = MessageId();
        var command = new Command("show", "Show one message") { id };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var m = await ctx.Client.Messages.GetMessageAsync(ctx.Get(id), ct);
            if (ctx.Json)
            {
                Json.Write(ctx.Out, m);
                return ExitCodes.Success;
            }
            Table.Properties(
            [
                ("id", m.Id),
                ("project", m.Project),
                ("request_id", m.RequestId),
                ("level", Format.Level(m.Level)),
                ("resource_type", m.ResourceType),
                ("resource_uuid", m.ResourceUuid),
                ("action_code", m.ActionCode),
                ("detail_code", m.DetailCode),
                ("host", m.Host),
                ("user_message", m.UserMessage),
                ("created_at", Format.Time(m.CreatedAt)),
                ("expires_at", Format.Time(m.ExpiresAt)),
            ]).Write(ctx.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete()
    {
        var id = MessageId();
        var command = new Command("delete", "Delete a message (member role)") { id };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var messageId = ctx.Get(id);
            await ctx.Client.Messages.DeleteMessageAsync(messageId, ct);
            if (ctx.Json)
            {
                Json.WriteValue(ctx.Out, new { deleted = messageId });
            }
            else
            {
                ctx.Out.WriteLine($"Deleted message {messageId}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
