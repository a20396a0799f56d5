using System.Runtime.CompilerServices;
using EventLog.Client.Internal;
using EventLog.V1;
using Google.Protobuf;

namespace EventLog.Client;

public partial class GuestLogsClient
{
    private const int UploadChunkSize = 64 * 1024;

    /// <summary>Agent: declares its instance's log catalog, replacing the previous one.</summary>
    /// <param name="request">Instance, datastore and logs; project defaults to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The catalog as stored, with the published offsets and hashes to resume from.</returns>
    public virtual async Task<IReadOnlyList<GuestLog>> RegisterLogsAsync(RegisterLogsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = string.IsNullOrEmpty(request.Project) ? Project : request.Project;
        var response = await _runner.RunAsync(o => _stub.RegisterLogsAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Logs;
    }

    /// <summary>
    /// Agent: the command channel of an instance. Yields every pending command, then new ones; reconnects
    /// when the connection drops (pending commands are delivered again until their result is reported, so a
    /// command may repeat). <see cref="GuestAgentHost"/> runs the whole loop.
    /// </summary>
    /// <param name="instanceId">The agent's instance.</param>
    /// <param name="streamOptions">Heartbeat and reconnect hooks, or null.</param>
    /// <param name="cancellationToken">Stops the channel.</param>
    /// <returns>The commands.</returns>
    public virtual async IAsyncEnumerable<GuestLogCommand> ReceiveCommandsAsync(string instanceId, EventLogStreamOptions? streamOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new AgentCommandsCursor(_stub, Project, instanceId, streamOptions);
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            yield return response.Command;
        }
    }

    /// <summary>
    /// Agent: uploads the bytes of a log from <see cref="UploadLogHeader.Offset"/> on. Retried when
    /// <paramref name="data"/> can seek (the server skips bytes it already has).
    /// <see cref="GuestLogFilePublisher"/> does offsets and rotation for a file.
    /// </summary>
    /// <param name="header">Which log, where the data starts, file size and first-line hash; project defaults to the client's.</param>
    /// <param name="data">The bytes from the header's offset on; read to its end.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log after the upload, and whether a rotation was detected.</returns>
    public virtual Task<UploadLogResponse> UploadLogAsync(UploadLogHeader header, Stream data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(data);
        header = header.Clone();
        header.Project = string.IsNullOrEmpty(header.Project) ? Project : header.Project;
        var start = data.CanSeek ? data.Position : 0;
        return _runner.RunAttemptsAsync(async o =>
        {
            if (data.CanSeek)
            {
                data.Position = start;
            }
            using var call = _stub.UploadLog(o);
            return await ClientStreamCalls.SendAsync(call, async requests =>
            {
                await requests.WriteAsync(new UploadLogRequest { Header = header }, o.CancellationToken).ConfigureAwait(false);
                var buffer = new byte[UploadChunkSize];
                int read;
                while ((read = await data.ReadAsync(buffer, o.CancellationToken).ConfigureAwait(false)) > 0)
                {
                    await requests.WriteAsync(new UploadLogRequest { Data = ByteString.CopyFrom(buffer, 0, read) }, o.CancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }, data.CanSeek ? Retry.Idempotent : Retry.Never, cancellationToken, TimeSpan.FromMinutes(5));
    }

    /// <summary>Agent: reports the result of a command.</summary>
    /// <param name="instanceId">The agent's instance.</param>
    /// <param name="commandId">The command carried out.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    /// <param name="errorMessage">Why it failed (returned to the waiting user); null on success.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log the command was about, after it.</returns>
    public virtual async Task<GuestLog> ReportCommandResultAsync(string instanceId, string commandId, bool succeeded, string? errorMessage = null, CancellationToken cancellationToken = default)
    {
        var request = new ReportCommandResultRequest { Project = Project, InstanceId = instanceId, CommandId = commandId, Succeeded = succeeded, ErrorMessage = errorMessage ?? "" };
        var response = await _runner.RunAsync(o => _stub.ReportCommandResultAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Log;
    }

    /// <summary>Agent: reports that the datastore restarted (RESTART_REQUIRED logs become RESTART_COMPLETED).</summary>
    /// <param name="instanceId">The agent's instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instance's logs after the restart.</returns>
    public virtual async Task<IReadOnlyList<GuestLog>> ReportRestartAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var request = new ReportRestartRequest { Project = Project, InstanceId = instanceId };
        var response = await _runner.RunAsync(o => _stub.ReportRestartAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Logs;
    }
}
