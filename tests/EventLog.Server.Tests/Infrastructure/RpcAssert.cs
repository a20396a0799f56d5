using EventLog.Rpc;
using Google.Rpc;
using Grpc.Core;

namespace EventLog.Server.Tests.Infrastructure;

/// <summary>Assertions on gRPC failures.</summary>
public static class RpcAssert
{
    /// <summary>Awaits the call and asserts it fails with <paramref name="code"/>; returns the exception.</summary>
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => call().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(ex.StatusCode == code, $"Expected {code}, got {ex.StatusCode}: {ex.Status.Detail}");
        return ex;
    }

    /// <summary>Asserts INVALID_ARGUMENT with a BadRequest violation naming <paramref name="field"/>.</summary>
    public static async Task InvalidArgumentAsync(string field, Func<Task> call)
    {
        var ex = await ThrowsAsync(StatusCode.InvalidArgument, call);
        var badRequest = ex.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }
}
