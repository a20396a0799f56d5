using System.CommandLine;
using EventLog.Cli.Output;
using EventLog.V1;

namespace EventLog.Cli.Commands;

internal static partial class MessagesCommands
{
    private static Command Purge()
    {
        var before = new Option<string?>("--before") { Description = "Delete the messages created before this time: ISO 8601 (2026-01-01) or an age such as 90d" };
        var expired = new Option<bool>("--expired") { Description = "Delete the messages whose expiry has passed (what the reaper would delete next)" };
        var command = new Command("purge", "Delete old or expired messages of a project, or of all projects, in batches (admin tokens only); prints how many were deleted") { before, expired };
        CommandContext.SetAction(command, async (ctx, ct) =>
        {
            if (ctx.Get(before) is null && !ctx.Get(expired))
            {
                throw new UsageException("Give --before, --expired or both.");
            }
            var request = new PurgeMessagesRequest { Before = Parsing.Time(ctx.Get(before), "--before"), Expired = ctx.Get(expired), AllProjects = ctx.AllProjects };
            var deleted = await ctx.Client.Messages.PurgeMessagesAsync(request, ct);
            if (ctx.Json)
            {
                Json.WriteValue(ctx.Out, new { deleted });
            }
            else
            {
                ctx.Out.WriteLine($"Deleted {deleted} messages.");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
