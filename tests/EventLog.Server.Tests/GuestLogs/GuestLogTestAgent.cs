using System.Security.Cryptography;
using System.Text;
using EventLog.V1;
using Google.Protobuf;

namespace EventLog.Server.Tests.GuestLogs;

/// <summary>What a guest agent does in the tests: declares its catalog and uploads file bytes as UploadLog expects.</summary>
internal sealed class GuestLogTestAgent(GuestLogsService.GuestLogsServiceClient client, string instanceId)
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);

    public string InstanceId { get; } = instanceId;

    public GuestLogsService.GuestLogsServiceClient Client { get; } = client;

    public static string NewInstanceId() => "instance-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>mysql with a SYS guest log, a USER general log, a USER slow_query log that needs a restart and a hidden SYS audit log.</summary>
    public async Task<RegisterLogsResponse> RegisterMySqlAsync(long guestSize = 0)
    {
        var request = new RegisterLogsRequest { InstanceId = InstanceId, Datastore = "mysql" };
        request.Logs.Add(new GuestLogDefinition { Name = "guest", Type = GuestLogType.Sys, File = "/var/log/trove/guest.log", Exposed = true, Enabled = true, FileExists = true, FileSize = guestSize });
        request.Logs.Add(new GuestLogDefinition { Name = "general", Type = GuestLogType.User, File = "/var/log/mysql/general.log", Exposed = true, FileExists = true });
        request.Logs.Add(new GuestLogDefinition { Name = "slow_query", Type = GuestLogType.User, File = "/var/log/mysql/slow.log", Exposed = true, EnableRequiresRestart = true });
        request.Logs.Add(new GuestLogDefinition { Name = "audit", Type = GuestLogType.Sys, File = "/var/log/mysql/audit.log", Exposed = false, Enabled = true, FileExists = true });
        return await Client.RegisterLogsAsync(request).ResponseAsync.WaitAsync(TestTimeout);
    }

    /// <summary>Uploads <paramref name="file"/> from <paramref name="offset"/> in pieces of <paramref name="pieceSize"/> bytes.</summary>
    public async Task<UploadLogResponse> UploadAsync(string logName, byte[] file, long offset = 0, string commandId = "", int pieceSize = 100_000)
    {
        using var call = Client.UploadLog();
        await call.RequestStream.WriteAsync(new UploadLogRequest
        {
            Header = new UploadLogHeader
            {
                InstanceId = InstanceId, LogName = logName, CommandId = commandId, Offset = offset,
                FileSize = file.Length, FirstLineHash = FirstLineHash(file),
            },
        }).WaitAsync(TestTimeout);
        for (var at = (int)offset; at < file.Length; at += pieceSize)
        {
            await call.RequestStream.WriteAsync(new UploadLogRequest { Data = ByteString.CopyFrom(file, at, Math.Min(pieceSize, file.Length - at)) }).WaitAsync(TestTimeout);
        }

        await call.RequestStream.CompleteAsync().WaitAsync(TestTimeout);
        return await call.ResponseAsync.WaitAsync(TestTimeout);
    }

    /// <summary>Hex SHA-256 of the file's first line, as agents compute it to detect rotation.</summary>
    public static string FirstLineHash(byte[] file)
    {
        var end = Array.IndexOf(file, (byte)'\n');
        return end < 0 && file.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(file.AsSpan(0, end < 0 ? file.Length : end)));
    }

    /// <summary>A log file of numbered lines of varying length, about <paramref name="bytes"/> long.</summary>
    public static byte[] MakeLog(int bytes, string prefix = "line", int firstLine = 1)
    {
        var text = new StringBuilder(bytes + 200);
        for (var i = firstLine; text.Length < bytes; i++)
        {
            text.Append(prefix).Append(' ').Append(i).Append(' ').Append('x', i * 37 % 300).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The lines of a file (without line breaks), as a tail reference.</summary>
    public static List<string> Lines(byte[] file) =>
        [.. Encoding.UTF8.GetString(file).Split('\n').SkipLast(1)];
}
