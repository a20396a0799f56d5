using EventLog.Client.Internal;
using System.Security.Cryptography;
using EventLog.V1;

namespace EventLog.Client;

/// <summary>
/// Publishes a guest log file incrementally, as Trove's guest agent does: only the bytes after the last
/// published offset are uploaded, and a rotated file (shrunk, or with a different first line) is
/// published again from offset 0. Only complete lines are published, so a line being written is never
/// split. Not thread-safe: one publisher per log, used by one agent loop.
/// </summary>
public sealed class GuestLogFilePublisher
{
    private const int MaxFirstLineBytes = 64 * 1024;
    private readonly GuestLogsClient _client;

    /// <summary>Creates a publisher of <paramref name="filePath"/> as the log <paramref name="logName"/> of an instance.</summary>
    /// <param name="client">The guest logs client.</param>
    /// <param name="instanceId">The agent's instance.</param>
    /// <param name="logName">The log's name in the catalog.</param>
    /// <param name="filePath">The log file on the guest.</param>
    public GuestLogFilePublisher(GuestLogsClient client, string instanceId, string logName, string filePath)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(logName);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        _client = client;
        InstanceId = instanceId;
        LogName = logName;
        FilePath = filePath;
    }

    /// <summary>The agent's instance.</summary>
    public string InstanceId { get; }

    /// <summary>The log's name in the catalog.</summary>
    public string LogName { get; }

    /// <summary>The log file on the guest.</summary>
    public string FilePath { get; }

    /// <summary>The file offset the next publish starts from (the server's <c>published_offset</c>).</summary>
    public long PublishedOffset { get; private set; }

    /// <summary>Hex SHA-256 of the file's first line at the last publish; empty before the first.</summary>
    public string FirstLineHash { get; private set; } = "";

    /// <summary>Takes the published offset and first-line hash from the server's catalog (after RegisterLogs).</summary>
    /// <param name="log">The log as the server has it.</param>
    public void Resume(GuestLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        PublishedOffset = ResumeOffset(log);
        FirstLineHash = log.FirstLineHash;
    }

    /// <summary>Forgets what was published (after a discard): the next publish starts at offset 0.</summary>
    public void Reset()
    {
        PublishedOffset = 0;
        FirstLineHash = "";
    }

    /// <summary>
    /// Uploads the complete lines written since the last publish, or the whole file again after a rotation.
    /// </summary>
    /// <param name="commandId">The publish command this carries out, or null for a publish of the agent's own.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The server's answer, or null when the file does not exist.</returns>
    public async Task<UploadLogResponse?> PublishAsync(string? commandId = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }
        await using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
        var size = file.Length;
        var firstLineHash = await HashFirstLineAsync(file, cancellationToken).ConfigureAwait(false);
        var offset = PublishedOffset;
        if (size < offset || (offset > 0 && FirstLineHash.Length > 0 && firstLineHash != FirstLineHash))
        {
            // Rotated: the server discards what it has and the file is published from its start.
            offset = 0;
        }
        var end = await FindLastLineEndAsync(file, offset, size, cancellationToken).ConfigureAwait(false);
        file.Position = offset;
        var data = new BoundedStream(file, end - offset);
        var response = await _client.UploadLogAsync(new UploadLogHeader
        {
            InstanceId = InstanceId,
            LogName = LogName,
            CommandId = commandId ?? "",
            Offset = offset,
            FileSize = size,
            FirstLineHash = firstLineHash,
        }, data, cancellationToken).ConfigureAwait(false);
        PublishedOffset = ResumeOffset(response.Log);
        FirstLineHash = string.IsNullOrEmpty(response.Log.FirstLineHash) ? firstLineHash : response.Log.FirstLineHash;
        return response;
    }

    /// <summary>
    /// Where publishing goes on: <c>published_offset</c>, which counts expired bytes too (<c>published_bytes</c>
    /// counts only the stored ones). A server older than <c>published_offset</c> leaves it 0 and kept both equal.
    /// </summary>
    internal static long ResumeOffset(GuestLog log) => Math.Max(log.PublishedOffset, log.PublishedBytes);

    /// <summary>Hex SHA-256 of the bytes before the first newline (at most 64 KiB); of the whole content if it has none.</summary>
    internal static async Task<string> HashFirstLineAsync(FileStream file, CancellationToken cancellationToken)
    {
        file.Position = 0;
        var buffer = new byte[(int)Math.Min(MaxFirstLineBytes, file.Length)];
        var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
        var line = buffer.AsSpan(0, newline >= 0 ? newline : read);
        return line.IsEmpty && read == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(line));
    }

    /// <summary>The offset just after the last newline at or after <paramref name="offset"/>, or <paramref name="offset"/> when there is none.</summary>
    private static async Task<long> FindLastLineEndAsync(FileStream file, long offset, long size, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var position = size;
        while (position > offset)
        {
            var length = (int)Math.Min(buffer.Length, position - offset);
            position -= length;
            file.Position = position;
            await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            var index = Array.LastIndexOf(buffer, (byte)'\n', length - 1, length);
            if (index >= 0)
            {
                return position + index + 1;
            }
        }
        return offset;
    }
}
