using System.Diagnostics;
using System.Globalization;
using EventLog.Client;

namespace EventLog.Cli.Output;

/// <summary>
/// Progress of a long transfer on stderr, so standard output stays the command's result. At a terminal it
/// rewrites one line, and only once the transfer has run for <see cref="Interval"/>: a small log prints
/// nothing. Asked for with <c>--progress</c> it also prints when stderr is redirected, one line per interval,
/// and always a last line.
/// </summary>
internal sealed class TransferProgress : IProgress<GuestLogTransfer>
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly TextWriter _error;
    private readonly string _doing;
    private readonly string _done;
    private readonly bool _live;
    private readonly bool _asked;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastPrint = TimeSpan.Zero;
    private bool _printed;

    private TransferProgress(TextWriter error, string doing, string done, bool live, bool asked)
    {
        (_error, _doing, _done, _live, _asked) = (error, doing, done, live, asked);
    }

    /// <summary>The <c>--progress</c> option of the commands that move a whole log.</summary>
    public static System.CommandLine.Option<bool> Option() => new("--progress")
    {
        Description = "Print progress on stderr even when it is not a terminal (at a terminal it is shown for long transfers)",
    };

    /// <summary>A reporter when progress is asked for or stderr is a terminal; null otherwise (scripts get nothing).</summary>
    public static TransferProgress? Create(TextWriter error, string doing, string done, bool asked)
    {
        var terminal = !Console.IsErrorRedirected;
        return asked || terminal ? new TransferProgress(error, doing, done, live: terminal, asked) : null;
    }

    public void Report(GuestLogTransfer value)
    {
        var now = _clock.Elapsed;
        if (now < Interval || now - _lastPrint < Interval)
        {
            return;
        }
        _lastPrint = now;
        Print(_doing, value);
    }

    /// <summary>Ends the progress: the last line when asked for or when a line was shown.</summary>
    public void Complete(GuestLogTransfer value)
    {
        if (_asked || _printed)
        {
            Print(_done, value);
            if (_live)
            {
                _error.WriteLine();
            }
        }
    }

    private void Print(string what, GuestLogTransfer value)
    {
        var percent = value.TotalBytes > 0 ? $" ({100 * value.Bytes / value.TotalBytes}%)" : "";
        var line = $"{what}: {Size(value.Bytes)} of {Size(value.TotalBytes)}{percent}";
        if (_live)
        {
            _error.Write($"\r{line,-60}");
        }
        else
        {
            _error.WriteLine(line);
        }
        _error.Flush();
        _printed = true;
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0 'KiB'", CultureInfo.InvariantCulture),
        _ => (bytes / (1024.0 * 1024)).ToString("0.0 'MiB'", CultureInfo.InvariantCulture),
    };
}
