using EventLog.Client.Internal;
using Google.Rpc;
using Grpc.Core;

namespace EventLog.Client;

/// <summary>
/// A call to EventLog failed. Carries the gRPC status code, the <c>google.rpc.ErrorInfo</c> reason the
/// server attached, and the field violations of an INVALID_ARGUMENT, so callers can act on the
/// failure without parsing messages.
/// </summary>
public class EventLogException : Exception
{
    /// <summary>Creates an exception with a status code and message.</summary>
    /// <param name="statusCode">The gRPC status code.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="reason">The ErrorInfo reason, or null.</param>
    /// <param name="fieldViolations">The offending request fields, or null.</param>
    /// <param name="innerException">The underlying exception, or null.</param>
    public EventLogException(StatusCode statusCode, string message, string? reason = null, IReadOnlyList<FieldViolation>? fieldViolations = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Reason = reason;
        FieldViolations = fieldViolations ?? [];
        ErrorMetadata = new Dictionary<string, string>();
    }

    /// <summary>The gRPC status code, such as <see cref="StatusCode.NotFound"/>.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The <c>google.rpc.ErrorInfo</c> reason (e.g. <c>NOT_FOUND</c>, <c>INVALID_PAGE_TOKEN</c>), or null when the server sent none (transport errors).</summary>
    public string? Reason { get; }

    /// <summary>The <c>google.rpc.ErrorInfo</c> domain (<c>eventlog.v1</c>), or null.</summary>
    public string? Domain { get; private init; }

    /// <summary>The <c>google.rpc.ErrorInfo</c> metadata; empty when there is none.</summary>
    public IReadOnlyDictionary<string, string> ErrorMetadata { get; private init; }

    /// <summary>
    /// How long the server asks the caller to wait before sending again (<c>google.rpc.RetryInfo</c>), as it does when
    /// a token's write rate is exceeded (RESOURCE_EXHAUSTED, reason <c>RATE_LIMITED</c>); null when it asked nothing.
    /// </summary>
    public TimeSpan? RetryDelay { get; private init; }

    /// <summary>The request fields the server rejected (<c>google.rpc.BadRequest</c>); empty when there are none.</summary>
    public IReadOnlyList<FieldViolation> FieldViolations { get; }

    /// <summary>True for NOT_FOUND: the resource does not exist or belongs to another project.</summary>
    public bool IsNotFound => StatusCode == StatusCode.NotFound;

    /// <summary>True when the request itself was rejected (INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION, ALREADY_EXISTS).</summary>
    public bool IsInvalid => StatusCode is StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.FailedPrecondition or StatusCode.AlreadyExists;

    /// <summary>True when the server or a dependency could not be reached (UNAVAILABLE, DEADLINE_EXCEEDED).</summary>
    public bool IsUnavailable => StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded;

    /// <summary>Wraps a gRPC failure, reading ErrorInfo and BadRequest from <c>grpc-status-details-bin</c>.</summary>
    /// <param name="exception">The gRPC failure.</param>
    public static EventLogException FromRpcException(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var details = RpcStatusReader.TryGet(exception);
        var errorInfo = RpcStatusReader.TryGetDetail<ErrorInfo>(details);
        var badRequest = RpcStatusReader.TryGetDetail<BadRequest>(details);
        var retryInfo = RpcStatusReader.TryGetDetail<RetryInfo>(details);
        var violations = badRequest?.FieldViolations.Select(v => new FieldViolation(v.Field, v.Description)).ToArray();
        var message = string.IsNullOrEmpty(exception.Status.Detail)
            ? $"EventLog call failed with {exception.StatusCode}."
            : $"{exception.Status.Detail} ({exception.StatusCode})";
        return new EventLogException(exception.StatusCode, message, errorInfo?.Reason, violations, exception)
        {
            Domain = string.IsNullOrEmpty(errorInfo?.Domain) ? null : errorInfo.Domain,
            ErrorMetadata = errorInfo?.Metadata.ToDictionary(p => p.Key, p => p.Value) ?? new Dictionary<string, string>(),
            RetryDelay = retryInfo?.RetryDelay is { } delay && delay.Seconds >= 0 && delay.Nanos >= 0 ? delay.ToTimeSpan() : null,
        };
    }
}
