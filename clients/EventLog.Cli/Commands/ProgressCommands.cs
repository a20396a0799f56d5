using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.Client;
using EventLog.V1;

namespace EventLog.Cli.Commands;

/// <summary><c>eventlog progress show|watch|events|export &lt;cluster&gt;</c>.</summary>
internal static class ProgressCommands
{
    private static readonly Export.Column<ProvisionEvent>[] CsvColumns =
    [
        new("id", e => e.Id), new("sequence", e => e.Sequence), new("cluster_id", e => e.ClusterId), new("step_id", e => e.StepId),
        new("node_group_id", e => e.NodeGroupId), new("instance_id", e => e.InstanceId), new("instance_name", e => e.InstanceName),
        new("successful", e => e.Successful), new("info", e => e.Info), new("error_id", e => e.ErrorId), new("created_at", e => e.CreatedAt),
        new("node", e => e.Node),
    ];

    public static Command Create()
    {
        var progress = new Command("progress", "Cluster provisioning progress: steps, counts, durations and the current step's events");
        progress.Subcommands.Add(Show());
        progress.Subcommands.Add(Watch());
        progress.Subcommands.Add(ExportEvents());
        progress.Subcommands.Add(Events());
        return progress;
    }

    private static Command ExportEvents()
    {
        var cluster = Cluster();
        var step = new Option<string?>("--step") { Description = "Only the events of this step (its id)" };
        var nodeGroup = new Option<string?>("--node-group") { Description = "Only the events of this node group" };
        var instance = new Option<string?>("--instance") { Description = "Only the events of this instance" };
        var format = Parsing.Format();
        var output = Parsing.OutputFile();
        var command = new Command("export", "Export a cluster's stored provisioning events, oldest first, for other tools: JSON Lines or CSV (with a header row)")
        {
            cluster, step, nodeGroup, instance, format, output,
        };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var request = new ListEventsRequest
            {
                ClusterId = ctx.Get(cluster), StepId = ctx.Get(step) ?? "", NodeGroupId = ctx.Get(nodeGroup) ?? "", InstanceId = ctx.Get(instance) ?? "",
            };
            await Export.WriteAsync(ctx.Out, ctx.Get(output), ctx.Get(format)!, ctx.Client.Provisioning.ListEventsAsync(request, ct), CsvColumns, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> Cluster() => new("cluster") { Description = "The cluster's id" };

    private static Command Show()
    {
        var cluster = Cluster();
        var command = new Command("show", "Show a cluster's steps in start order and the events of its current (or failed) step") { cluster };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var progress = await ctx.Client.Provisioning.GetProgressAsync(ctx.Get(cluster), ct);
            if (ctx.Json)
            {
                Json.Write(ctx.Out, progress);
                return ExitCodes.Success;
            }
            var steps = new Table("Step", "Type", "Status", "Completed", "Total", "Started", "Duration");
            foreach (var s in progress.Steps)
            {
                steps.Add(s.Name, Format.StepType(s.StepType), Format.StepStatus(s), s.Completed, s.Total == 0 ? "?" : s.Total, Format.Time(s.StartedAt), Format.Duration(s.Duration));
            }
            steps.Write(ctx.Out);
            if (progress.Events.Count > 0)
            {
                var current = progress.Steps.FirstOrDefault(s => s.Id == progress.CurrentStepId);
                ctx.Out.WriteLine($"Events of step '{current?.Name ?? progress.CurrentStepId}':");
                WriteEvents(ctx, progress.Events, steps: null);
            }
            if (!progress.RecordingEnabled)
            {
                ctx.Error.WriteLine("note: progress recording is switched off on the server.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Events()
    {
        var cluster = Cluster();
        var step = new Option<string?>("--step") { Description = "Only the events of this step, by name or id" };
        var node = new Option<string?>("--node") { Description = "Only the events that happened on this node (host)" };
        var limit = Parsing.Limit(0, "events");
        var command = new Command("events", "List a cluster's stored per-instance events, oldest first (events of successful steps are compacted away after a while)") { cluster, step, node, limit };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var clusterId = ctx.Get(cluster);
            var progress = await ctx.Client.Provisioning.GetProgressAsync(clusterId, ct);
            var request = new ListEventsRequest { ClusterId = clusterId, Node = ctx.Get(node) ?? "" };
            if (ctx.Get(step) is { } wanted)
            {
                request.StepId = (progress.Steps.FirstOrDefault(s => s.Name == wanted) ?? progress.Steps.FirstOrDefault(s => s.Id == wanted))?.Id
                    ?? throw new UsageException($"Cluster '{clusterId}' has no step named or numbered '{wanted}'.");
            }
            var events = await Parsing.TakeAsync(ctx.Client.Provisioning.ListEventsAsync(request, ct), ctx.Get(limit), ct);
            if (ctx.Json)
            {
                Json.WriteArray(ctx.Out, events);
                return ExitCodes.Success;
            }
            WriteEvents(ctx, events, progress.Steps.ToDictionary(s => s.Id, s => s.Name));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A table of per-instance events; with <paramref name="steps"/> (id to name), a step column too.</summary>
    private static void WriteEvents(CommandContext ctx, IEnumerable<ProvisionEvent> events, Dictionary<string, string>? steps)
    {
        var table = steps is null
            ? new Table("Instance", "Name", "Node group", "Node", "Result", "Info", "Error ID", "Time")
            : new Table("Step", "Instance", "Name", "Node group", "Node", "Result", "Info", "Error ID", "Time");
        foreach (var e in events)
        {
            object[] cells = [e.InstanceId, e.InstanceName, e.NodeGroupId, e.Node, e.Successful ? "ok" : "FAILED", e.Info, e.ErrorId, Format.Time(e.CreatedAt)];
            table.Add(steps is null ? cells : [steps.GetValueOrDefault(e.StepId, e.StepId), .. cells]);
        }
        table.Write(ctx.Out);
    }

    private static Command Watch()
    {
        var cluster = Cluster();
        var command = new Command("watch", "Show live progress bars per step until the operation ends; exit code 0 if it succeeded, 5 if a step failed") { cluster };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var clusterId = ctx.Get(cluster);
            var view = new ProgressView(ctx.Out, ctx.Json, live: !ctx.Json && !Console.IsOutputRedirected);
            var snapshot = await ctx.Client.Provisioning.GetProgressAsync(clusterId, ct);
            view.Load(snapshot);
            if (view.Ended)
            {
                return view.Finish();
            }
            var reset = false;
            var streamOptions = ctx.StreamOptions;
            streamOptions.OnReset = _ => reset = true;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await foreach (var update in ctx.Client.Provisioning.WatchProgressAsync(clusterId, snapshot.Sequence, streamOptions, stop.Token))
            {
                if (reset)
                {
                    // Updates were compacted away: start again from a fresh snapshot.
                    reset = false;
                    view.Load(await ctx.Client.Provisioning.GetProgressAsync(clusterId, ct));
                }
                view.Apply(update);
                if (view.Ended)
                {
                    break;
                }
            }
            return view.Finish();
        });
        return command;
    }
}
