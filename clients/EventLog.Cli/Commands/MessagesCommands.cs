using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.V1;

namespace EventLog.Cli.Commands;

/// <summary><c>eventlog messages list|show|delete|watch|export|purge</c>. Partial files: watch and export, purge.</summary>
internal static partial class MessagesCommands
{
    public static Command Create()
    {
        var messages = new Command("messages", "User-facing messages about failed operations: list with filters, show, delete, watch, export, purge");
        messages.Subcommands.Add(List().WithLocale().WithAllProjects());
        messages.Subcommands.Add(Show().WithLocale());
        messages.Subcommands.Add(Delete());
        messages.Subcommands.Add(Watch().WithLocale());
        messages.Subcommands.Add(ExportMessages().WithLocale().WithAllProjects());
        messages.Subcommands.Add(Purge().WithAllProjects());
        return messages;
    }

    private static Argument<string> MessageId() => new("message-id") { Description = "The message's UUID" };

    /// <summary>The filter options of list and export.</summary>
    private sealed class FilterOptions
    {
        private readonly Option<string?> _resourceType = new("--resource-type") { Description = "Only messages about this resource type, e.g. volume" };
        private readonly Option<string?> _resourceUuid = new("--resource-uuid") { Description = "Only messages about this resource" };
        private readonly Option<string?> _action = new("--action") { Description = "Only messages with this action code, e.g. 001" };
        private readonly Option<string?> _detail = new("--detail", "--event-id") { Description = "Only messages with this detail code (event id)" };
        private readonly Option<string?> _requestId = new("--request-id") { Description = "Only messages of this user request" };
        private readonly Option<string?> _level = Parsing.Choice("--level", "Only messages of this level", Parsing.Levels);
        private readonly Option<string?> _host = new("--host") { Description = "Only messages reported by this host or node" };
        private readonly Option<string?> _user = new("--user") { Description = "Only messages caused by this user" };
        private readonly Option<string?> _since = Parsing.Since();
        private readonly Option<string?> _until = Parsing.Until();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _resourceType, _resourceUuid, _action, _detail, _requestId, _level, _host, _user, _since, _until })
            {
                command.Options.Add(option);
            }
        }

        public ListMessagesRequest Build(CommandContext ctx) => new()
        {
            ResourceType = ctx.Get(_resourceType) ?? "",
            ResourceUuid = ctx.Get(_resourceUuid) ?? "",
            ActionCode = ctx.Get(_action) ?? "",
            DetailCode = ctx.Get(_detail) ?? "",
            RequestId = ctx.Get(_requestId) ?? "",
            Level = Parsing.Level(ctx.Get(_level)),
            Host = ctx.Get(_host) ?? "",
            User = ctx.Get(_user) ?? "",
            Created = Parsing.Range(ctx.Get(_since), ctx.Get(_until)),
            AllProjects = ctx.AllProjects,
        };
    }

    private static Command List()
    {
        var filter = new FilterOptions();
        var limit = Parsing.Limit(50, "messages");
        var command = new Command("list", "List messages, newest first, with filters") { limit };
        filter.AddTo(command);
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var request = filter.Build(ctx);
            request.PageSize = TasksCommands.PageSize(ctx.Get(limit));
            var items = await Parsing.TakeAsync(ctx.Client.Messages.ListMessagesAsync(request, ct), ctx.Get(limit), ct);
            if (ctx.Json)
            {
                Json.WriteArray(ctx.Out, items);
                return ExitCodes.Success;
            }
            var table = Table.PerProject(ctx.AllProjects, "ID", "Level", "Resource", "Resource UUID", "Event ID", "Request ID", "Host", "User", "Created", "Message");
            foreach (var m in items)
            {
                table.AddForProject(m.Project, m.Id, Format.Level(m.Level), m.ResourceType, m.ResourceUuid, m.DetailCode, m.RequestId, m.Host, m.User, Format.Time(m.CreatedAt), m.UserMessage);
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
                ("user", m.User),
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
