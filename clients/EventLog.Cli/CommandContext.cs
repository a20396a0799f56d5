using System.CommandLine;
using EventLog.Client;
using Grpc.Core;

namespace EventLog.Cli;

/// <summary>What a command's action works with: the parsed command line, the client, the output.</summary>
internal sealed class CommandContext(ParseResult parse, EventLogClient client, TextWriter output, TextWriter error)
{
    public ParseResult Parse { get; } = parse;

    public EventLogClient Client { get; } = client;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Json => Parse.GetValue(GlobalOptions.Json);

    /// <summary>Whether <c>--all-projects</c> was given (false on commands without it).</summary>
    public bool AllProjects => Parse.GetValue(GlobalOptions.AllProjects);

    public T Get<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Stream hooks that tell the person at the terminal about reconnects.</summary>
    public EventLogStreamOptions StreamOptions => new()
    {
        OnReconnecting = (failure, attempt, pause) =>
            Error.WriteLine($"connection lost ({failure.StatusCode}); reconnecting in {pause.TotalSeconds:0.0}s (attempt {attempt})"),
    };

    /// <summary>
    /// Sets the action of <paramref name="command"/>: builds the client, runs <paramref name="action"/>, and
    /// maps failures to messages on stderr and exit codes.
    /// </summary>
    public static void SetAction(Command command, Func<CommandContext, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var client = new EventLogClient(GlobalOptions.ClientOptions(parse));
                return await action(new CommandContext(parse, client, output, error), cancellationToken).ConfigureAwait(false);
            }
            catch (UsageException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Invalid;
            }
            catch (Exception ex) when (ex is OperationCanceledException or EventLogException && cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: the calls it cancelled end as CANCELLED or OperationCanceledException alike.
                return ExitCodes.Interrupted;
            }
            catch (EventLogException ex)
            {
                WriteError(error, ex);
                return ToExitCode(ex.StatusCode);
            }
            catch (IOException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Error;
            }
            catch (UnauthorizedAccessException ex)
            {
                error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Error;
            }
        });
    }

    public static int ToExitCode(StatusCode code) => code switch
    {
        StatusCode.OK => ExitCodes.Success,
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.FailedPrecondition or StatusCode.AlreadyExists => ExitCodes.Invalid,
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => ExitCodes.Unavailable,
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => ExitCodes.Unauthorized,
        _ => ExitCodes.Error,
    };

    private static void WriteError(TextWriter error, EventLogException ex)
    {
        var reason = ex.Reason is null ? "" : $" [{ex.Reason}]";
        error.WriteLine($"error: {ex.StatusCode}{reason}: {(ex.InnerException as RpcException)?.Status.Detail ?? ex.Message}");
        foreach (var violation in ex.FieldViolations)
        {
            error.WriteLine($"  {violation.Field}: {violation.Description}");
        }
        if (ex.StatusCode == StatusCode.Unauthenticated)
        {
            error.WriteLine($"  (pass --token or set {GlobalOptions.TokenVariable})");
        }
    }
}
