using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.V1;

namespace EventLog.Cli.Commands;

/// <summary><c>eventlog requests list|export</c> and <c>eventlog timeline</c>.</summary>
internal static class RequestsCommands
{
    public static Command Create()
    {
        var requests = new Command("requests", "The user request log: list entries with filters, export them as text");
        requests.Subcommands.Add(List().WithLocale().WithAllProjects());
        requests.Subcommands.Add(Export().WithLocale());
        return requests;
    }

    public static Command Timeline()
    {
        var limit = new Option<int>("--limit", "-n") { Description = "How many of the last events (at most 1000)", DefaultValueFactory = _ => 30 };
        var node = new Option<string?>("--node") { Description = "Only the events of this node (host), such as n1" };
        var command = new Command("timeline", "The last N request and task events across apps and nodes, newest first") { limit, node };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var entries = await ctx.Client.Tasks.GetTimelineAsync(new GetTimelineRequest { Limit = ctx.Get(limit), AllProjects = ctx.AllProjects, Node = ctx.Get(node) ?? "" }, ct);
            WriteEntries(ctx, entries);
            return ExitCodes.Success;
        });
        return command.WithLocale().WithAllProjects();
    }

    /// <summary>The filter options of list and export.</summary>
    private sealed class FilterOptions
    {
        public readonly Option<string?> App = new("--app") { Description = "Only entries of this app or plugin" };
        public readonly Option<string?> Kind = Parsing.Choice("--kind", "Only entries of this kind", Parsing.RequestKinds);
        public readonly Option<int> Status = new("--status") { Description = "Only entries with this status (HTTP status, or 1000/1001/1002 for tasks)" };
        public readonly Option<string?> Outcome = Parsing.Choice("--outcome", "Only entries with this final outcome", Parsing.Outcomes);
        public readonly Option<string?> User = new("--user") { Description = "Only entries of this user" };
        public readonly Option<string?> Ip = new("--ip") { Description = "Only entries from this client IP" };
        public readonly Option<string?> Since = Parsing.Since();
        public readonly Option<string?> Until = Parsing.Until();
        public readonly Option<long> DuringTask = new("--during-task") { Description = "Only entries recorded while this task ran (what else happened meanwhile)" };
        public readonly Option<long> Task = new("--task") { Description = "Only entries about this task (its spawning request and its TASK entries)" };
        public readonly Option<string?> RequestId = new("--request-id") { Description = "Only entries with this request id" };
        public readonly Option<string?> Node = new("--node") { Description = "Only entries served by this node (host): the node's history" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { App, Kind, Status, Outcome, User, Ip, Since, Until, DuringTask, Task, RequestId, Node })
            {
                command.Options.Add(option);
            }
        }

        public RequestFilter Build(CommandContext ctx) => new()
        {
            App = ctx.Get(App) ?? "",
            Kind = Parsing.Kind(ctx.Get(Kind)),
            Status = ctx.Get(Status),
            Outcome = Parsing.Outcome(ctx.Get(Outcome)),
            User = ctx.Get(User) ?? "",
            ClientIp = ctx.Get(Ip) ?? "",
            TimeRange = Parsing.Range(ctx.Get(Since), ctx.Get(Until)),
            DuringTaskId = ctx.Get(DuringTask),
            TaskId = ctx.Get(Task),
            RequestId = ctx.Get(RequestId) ?? "",
            Node = ctx.Get(Node) ?? "",
        };
    }

    private static Command List()
    {
        var filter = new FilterOptions();
        var oldestFirst = new Option<bool>("--oldest-first") { Description = "Sort oldest first" };
        var limit = Parsing.Limit(50, "entries");
        var command = new Command("list", "List request entries, newest first, with filters") { oldestFirst, limit };
        filter.AddTo(command);
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var pages = PagedRequests(ctx, filter.Build(ctx), ctx.Get(oldestFirst), ctx.Get(limit), ct);
            var entries = await Parsing.TakeAsync(pages, ctx.Get(limit), ct);
            WriteEntries(ctx, entries);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async IAsyncEnumerable<RequestEntry> PagedRequests(CommandContext ctx, RequestFilter filter, bool oldestFirst, int limit, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var token = "";
        do
        {
            var request = new ListRequestsRequest { Filter = filter, OldestFirst = oldestFirst, PageSize = TasksCommands.PageSize(limit), PageToken = token, AllProjects = ctx.AllProjects };
            var page = await ctx.Client.Tasks.ListRequestsPageAsync(request, ct);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }
            token = page.NextPageToken;
        }
        while (!string.IsNullOrEmpty(token));
    }

    private static Command Export()
    {
        var filter = new FilterOptions();
        var zone = new Option<string?>("--time-zone") { Description = "IANA time zone the times are rendered in, e.g. America/Sao_Paulo (default UTC)" };
        var output = Parsing.OutputFile();
        var command = new Command("export", "Export request entries, oldest first, as text lines: [2016-08-12 11:49:55 BRT] TASK 1002 kimchi Failure on ...") { zone, output };
        filter.AddTo(command);
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var path = ctx.Get(output);
            var writer = path is null ? ctx.Out : new StreamWriter(path, append: false);
            try
            {
                await foreach (var line in ctx.Client.Tasks.ExportRequestsAsync(filter.Build(ctx), ctx.Get(zone), ctx.StreamOptions, ct))
                {
                    await writer.WriteLineAsync(line);
                }
            }
            finally
            {
                if (path is not null)
                {
                    await writer.DisposeAsync();
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteEntries(CommandContext ctx, IReadOnlyList<RequestEntry> entries)
    {
        if (ctx.Json)
        {
            Json.WriteArray(ctx.Out, entries);
            return;
        }
        var table = Table.PerProject(ctx.AllProjects, "Time", "Kind", "Status", "App", "Node", "User", "IP", "Outcome", "Task", "Message");
        foreach (var e in entries)
        {
            table.AddForProject(e.Project, Format.Time(e.Time), Format.Kind(e.Kind), e.Status, e.App, e.Node, e.User, e.ClientIp, Format.Outcome(e.Outcome), e.TaskId == 0 ? "" : e.TaskId, e.Message);
        }
        table.Write(ctx.Out);
    }
}
