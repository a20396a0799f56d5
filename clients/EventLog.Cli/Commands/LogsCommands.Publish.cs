using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.Client;
using EventLog.V1;

namespace EventLog.Cli.Commands;

internal static partial class LogsCommands
{
    private static Command Publish()
    {
        var instance = Instance();
        var log = LogName();
        var disable = new Option<bool>("--disable") { Description = "Disable the log once it is published (USER logs)" };
        var discard = new Option<bool>("--discard") { Description = "Delete the published data first, then publish the log from the start" };
        var progress = TransferProgress.Option();
        var command = new Command("publish", "Have the instance's agent publish the log's new data, and wait for it") { instance, log, disable, discard, progress };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            var request = new PublishLogRequest { InstanceId = ctx.Get(instance), LogName = ctx.Get(log), Disable = ctx.Get(disable), Discard = ctx.Get(discard) };
            WriteLog(ctx, await PublishAsync(ctx, request, ctx.Get(progress), ct));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Publishes and waits for the agent. With progress shown, the log is read every <see cref="TransferProgress.Interval"/>
    /// meanwhile: the agent stores its upload in batches, so the published bytes grow while it runs.
    /// </summary>
    private static async Task<GuestLog> PublishAsync(CommandContext ctx, PublishLogRequest request, bool asked, CancellationToken ct)
    {
        var (instance, logName) = (request.InstanceId, request.LogName);
        var progress = TransferProgress.Create(ctx.Error, $"publishing {logName}", $"published {logName}", asked);
        if (progress is null)
        {
            return await ctx.Client.GuestLogs.PublishLogAsync(instance, logName, request.Disable, request.Discard, null, ct);
        }

        var before = await ctx.Client.GuestLogs.GetLogAsync(instance, logName, ct);
        var publish = ctx.Client.GuestLogs.PublishLogAsync(instance, logName, request.Disable, request.Discard, null, ct);
        while (await Task.WhenAny(publish, Task.Delay(TransferProgress.Interval, ct)) != publish)
        {
            progress.Report(Published(before, await ctx.Client.GuestLogs.GetLogAsync(instance, logName, ct)));
        }
        var published = await publish;
        progress.Complete(Published(before, published));
        return published;
    }

    /// <summary>Bytes published since <paramref name="before"/>, of those that were (or since became) pending.</summary>
    private static GuestLogTransfer Published(GuestLog before, GuestLog now)
    {
        var done = Math.Max(0, now.PublishedBytes - before.PublishedBytes);
        return new GuestLogTransfer(done, Math.Max(done, done + now.PendingBytes));
    }
}
