
namespace EventLog.Server.Hosting;

/// <summary>Rejects <see cref="GrpcHostOptions"/> the server could not run with, naming the setting.</summary>
internal sealed class GrpcHostOptionsValidator : IValidateOptions<GrpcHostOptions>
{
    public ValidateOptionsResult Validate(string? name, GrpcHostOptions options)
    {
        var failures = new List<string>();
        if (options.MaxReceiveMessageSize <= 0 || options.MaxSendMessageSize <= 0)
        {
            failures.Add("Grpc:MaxReceiveMessageSize and Grpc:MaxSendMessageSize must be positive.");
        }
        if (options.ResponseCompression is not (null or "" or "gzip" or "identity"))
        {
            failures.Add("Grpc:ResponseCompression must be 'gzip', 'identity' or empty.");
        }
        if (options.StreamWriteTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            failures.Add("Grpc:StreamWriteTimeout must be positive, or empty to disable it.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
