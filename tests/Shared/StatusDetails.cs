using Google.Rpc;

namespace EventLog.Tests.Shared;

/// <summary>Reads the ErrorInfo out of a <c>grpc-status-details-bin</c> value as it travels (unpadded base64).</summary>
public static class StatusDetails
{
    /// <summary>The reason of the google.rpc.ErrorInfo in <paramref name="base64"/>, or null.</summary>
    public static string? Reason(string? base64)
    {
        if (base64 is null)
        {
            return null;
        }
        var padded = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var status = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(padded));
        return status.Details.FirstOrDefault(d => d.Is(ErrorInfo.Descriptor))?.Unpack<ErrorInfo>().Reason;
    }
}
