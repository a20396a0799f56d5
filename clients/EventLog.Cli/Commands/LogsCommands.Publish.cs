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
        var progress = TransferProgress.Option();
        var command = new Command("publish", "Have the instance's agent publish the log's new data, and wait for it") { instance, log, progress };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            WriteLog(ctx, await PublishAsync(ctx, ctx.Get(instance), ctx.Get(log), ctx.Get(progress), ct));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Publishes and waits for the agent. With progress shown, the log is read every <see cref="TransferProgress.Interval"/>
    /// meanwhile: the agent stores its upload in batches, so the published bytes grow while it runs.
    /// </summary>
    private static async Task<GuestLog> PublishAsync(CommandContext ctx, string instance, string logName, bool asked, CancellationToken ct)
    {
        var progress = TransferProgress.Create(ctx.Error, $"publishing {logName}", $"published {logName}", asked);
        if (progress is null)
        {
            return await ctx.Client.GuestLogs.PublishLogAsync(instance, logName, null, ct);
        }

        var before = await ctx.Client.GuestLogs.GetLogAsync(instance, logName, ct);
        var publish = ctx.Client.GuestLogs.PublishLogAsync(instance, logName, null, ct);
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
