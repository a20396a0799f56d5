using Google.Rpc;

namespace EventLog.Server.Tests.Infrastructure;

/// <summary>Assertions on gRPC failures.</summary>
public static class RpcAssert
{
    /// <summary>
    /// Awaits the call and asserts it fails with <paramref name="code"/> and, as every error the server raises must,
    /// carries a google.rpc.ErrorInfo with a reason in <c>grpc-status-details-bin</c>; returns the exception.
    /// </summary>
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => call().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(ex.StatusCode == code, $"Expected {code}, got {ex.StatusCode}: {ex.Status.Detail}");
        if (!IsLocal(ex))
        {
            HasErrorInfo(ex);
        }

        return ex;
    }

    /// <summary>Asserts INVALID_ARGUMENT with an ErrorInfo and a BadRequest violation naming <paramref name="field"/>.</summary>
    public static async Task InvalidArgumentAsync(string field, Func<Task> call)
    {
        var ex = await ThrowsAsync(StatusCode.InvalidArgument, call);
        var badRequest = ex.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }

    /// <summary>Asserts the server's status details carry an ErrorInfo with a non-empty reason; returns it.</summary>
    public static ErrorInfo HasErrorInfo(RpcException ex)
    {
        var status = ex.GetRpcStatus();
        Assert.True(status is not null, $"{ex.StatusCode} ({ex.Status.Detail}) has no grpc-status-details-bin.");
        Assert.Equal((int)ex.StatusCode, status.Code);
        var info = status.GetDetail<ErrorInfo>();
        Assert.True(info is not null, $"{ex.StatusCode} ({ex.Status.Detail}) has no google.rpc.ErrorInfo.");
        Assert.False(string.IsNullOrEmpty(info.Reason), $"{ex.StatusCode} ({ex.Status.Detail}) has an ErrorInfo without a reason.");
        Assert.Equal(EventLog.Server.Infrastructure.Errors.ErrorDomain, info.Domain);
        return info;
    }

    // The client ends a call itself when its deadline passes or its caller cancels: such a status never came from
    // the server, so it has no trailers and nothing to check. Any other code (and any status with trailers) did.
    private static bool IsLocal(RpcException ex) =>
        ex.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded && ex.Trailers.Count == 0;
}
