using System.Runtime.CompilerServices;
using EventLog.Client.Internal;
using EventLog.V1;

namespace EventLog.Client;

public partial class GuestLogsClient
{
    /// <summary>
    /// Reads lines of a published log (Trove's <c>log-tail</c>); with <paramref name="follow"/>, keeps reading
    /// lines as they are published. Resumes from the line after the last one delivered if the connection
    /// drops, with no gap and no duplicate.
    /// <para>
    /// Only stored lines are read: when older lines expired (retention), the log starts at a later line, which
    /// <see cref="EventLogStreamOptions.OnLogStart"/> reports before the first line. Asked for lines that expired
    /// (<paramref name="lines"/> &lt;= 0), the tail starts at the first stored line, flagged
    /// <see cref="GuestLogLine.AfterReset"/>.
    /// </para>
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="lines">N &gt; 0: the last N lines; N &lt; 0: the lines past line |N| (from |N|+1, as Trove's log-tail); 0: the whole log. Default: 50.</param>
    /// <param name="follow">Keep streaming until the enumeration is stopped.</param>
    /// <param name="streamOptions">Heartbeat, reset, log start and reconnect hooks, or null.</param>
    /// <param name="cancellationToken">Stops the tail.</param>
    /// <returns>The lines in order.</returns>
    public virtual async IAsyncEnumerable<GuestLogLine> TailLogAsync(string instanceId, string logName, long lines = 50, bool follow = false, EventLogStreamOptions? streamOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new GuestTailCursor(_stub, Project, instanceId, logName, lines, follow, streamOptions);
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            var number = response.Lines.FirstLineNumber;
            var reset = response.Reset;
            foreach (var text in response.Lines.Lines)
            {
                yield return new GuestLogLine(number++, text, reset);
                reset = false;
            }
        }
    }

    /// <summary>
    /// Writes a whole published log to <paramref name="destination"/> (Trove's <c>log-save</c>), byte for byte.
    /// A dropped connection restarts the read and skips the bytes already written.
    /// <para>
    /// Only stored bytes are written: when the start of the log expired (retention), the returned log's
    /// <see cref="GuestLog.FirstAvailableLine"/> (greater than 1) and <see cref="GuestLog.FirstAvailableOffset"/>
    /// say where the written bytes start in the log. A save whose start expires further before a dropped
    /// connection resumes fails with <c>DATA_LOSS</c> rather than leave a hole.
    /// </para>
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="destination">Where the bytes go; left open.</param>
    /// <param name="cancellationToken">Stops the save.</param>
    /// <returns>The log's metadata as of the save, counting the bytes written.</returns>
    public virtual Task<GuestLog> SaveLogAsync(string instanceId, string logName, Stream destination, CancellationToken cancellationToken = default) =>
        SaveLogAsync(instanceId, logName, destination, null, cancellationToken);

    /// <summary>
    /// Like <see cref="SaveLogAsync(string, string, Stream, CancellationToken)"/>, telling <paramref name="progress"/>
    /// how many bytes were written after each piece.
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="destination">Where the bytes go; left open.</param>
    /// <param name="progress">Told the bytes written so far and the log's stored bytes; null for none.</param>
    /// <param name="cancellationToken">Stops the save.</param>
    /// <returns>The log's metadata as of the save, counting the bytes written.</returns>
    public virtual async Task<GuestLog> SaveLogAsync(string instanceId, string logName, Stream destination, IProgress<GuestLogTransfer>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var cursor = new SaveCursor(_stub, new SaveLogRequest { Project = Project, InstanceId = instanceId, LogName = logName });
        var written = 0L;
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, null, cancellationToken).ConfigureAwait(false))
        {
            await destination.WriteAsync(response.Data.Memory, cancellationToken).ConfigureAwait(false);
            written += response.Data.Length;
            progress?.Report(new GuestLogTransfer(written, Math.Max(written, cursor.Log?.PublishedBytes ?? 0)));
        }
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return cursor.Log ?? await GetLogAsync(instanceId, logName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Saves a whole published log to a file, written under a temporary name and moved into place when
    /// complete, so a failed save never leaves a truncated file behind.
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="cancellationToken">Stops the save.</param>
    /// <returns>The log's metadata as of the save.</returns>
    public virtual Task<GuestLog> SaveLogToFileAsync(string instanceId, string logName, string path, CancellationToken cancellationToken = default) =>
        SaveLogToFileAsync(instanceId, logName, path, null, cancellationToken);

    /// <summary>
    /// Like <see cref="SaveLogToFileAsync(string, string, string, CancellationToken)"/>, telling
    /// <paramref name="progress"/> how many bytes were written after each piece.
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="logName">The log.</param>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="progress">Told the bytes written so far and the log's stored bytes; null for none.</param>
    /// <param name="cancellationToken">Stops the save.</param>
    /// <returns>The log's metadata as of the save.</returns>
    public virtual async Task<GuestLog> SaveLogToFileAsync(string instanceId, string logName, string path, IProgress<GuestLogTransfer>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var partial = path + ".partial";
        GuestLog log;
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                log = await SaveLogAsync(instanceId, logName, file, progress, cancellationToken).ConfigureAwait(false);
            }
            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        return log;
    }
}
