using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using Google.Rpc;
using RpcStatus = Google.Rpc.Status;

namespace EventLog.Server.Infrastructure;

/// <summary>Throws <see cref="RpcException"/>s with precise codes, ErrorInfo reasons and field violations.</summary>
public static class Errors
{
    /// <summary>The <c>google.rpc.ErrorInfo</c> domain of every error EventLog raises.</summary>
    public const string ErrorDomain = "eventlog.v1";

    /// <summary>INVALID_ARGUMENT naming the field, with a google.rpc.BadRequest violation.</summary>
    [DoesNotReturn]
    public static void InvalidArgument(string field, string description) =>
        throw InvalidArgumentException("INVALID_ARGUMENT", field, description);

    /// <summary>An INVALID_ARGUMENT exception with the given reason and one field violation.</summary>
    public static RpcException InvalidArgumentException(string reason, string field, string description) =>
        InvalidArgumentStatus(reason, field, description).ToRpcException();

    /// <summary>The <c>google.rpc.Status</c> of <see cref="InvalidArgumentException"/>, for errors answered without throwing.</summary>
    public static RpcStatus InvalidArgumentStatus(string reason, string field, string description)
    {
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } };
        return Details(StatusCode.InvalidArgument, Info(reason), $"{field}: {description}", badRequest);
    }

    /// <summary>NOT_FOUND for a resource that does not exist or belongs to another project.</summary>
    [DoesNotReturn]
    public static void NotFound(string message) => throw Create(StatusCode.NotFound, "NOT_FOUND", message);

    /// <summary>FAILED_PRECONDITION: the resource is not in a state that allows the operation.</summary>
    [DoesNotReturn]
    public static void FailedPrecondition(string message) => throw Create(StatusCode.FailedPrecondition, "FAILED_PRECONDITION", message);

    /// <summary>PERMISSION_DENIED: the caller's roles do not allow the operation.</summary>
    [DoesNotReturn]
    public static void PermissionDenied(string message) => throw Create(StatusCode.PermissionDenied, "PERMISSION_DENIED", message);

    /// <summary>UNAUTHENTICATED: missing or unknown token.</summary>
    [DoesNotReturn]
    public static void Unauthenticated(string message) => throw Create(StatusCode.Unauthenticated, "UNAUTHENTICATED", message);

    /// <summary>RESOURCE_EXHAUSTED: a size or rate limit was hit.</summary>
    [DoesNotReturn]
    public static void ResourceExhausted(string message) => throw Create(StatusCode.ResourceExhausted, "RESOURCE_EXHAUSTED", message);

    /// <summary>UNAVAILABLE: a dependency (such as a guest agent) cannot be reached now.</summary>
    [DoesNotReturn]
    public static void Unavailable(string message) => throw Create(StatusCode.Unavailable, "UNAVAILABLE", message);

    /// <summary>Creates an exception carrying ErrorInfo with the given reason.</summary>
    public static RpcException Create(StatusCode code, string reason, string message, params IMessage[] details) =>
        Create(code, Info(reason), message, details);

    /// <summary>Creates an exception whose <c>grpc-status-details-bin</c> carries <paramref name="errorInfo"/> and then <paramref name="details"/>.</summary>
    public static RpcException Create(StatusCode code, ErrorInfo errorInfo, string message, params IMessage[] details) =>
        Details(code, errorInfo, message, details).ToRpcException();

    /// <summary>
    /// The <c>google.rpc.Status</c> an error sends in <c>grpc-status-details-bin</c>: <paramref name="errorInfo"/>, then
    /// <paramref name="details"/>. For the errors answered before a call reaches a service, whose status is written as
    /// headers rather than thrown.
    /// </summary>
    public static RpcStatus Details(StatusCode code, ErrorInfo errorInfo, string message, params IMessage[] details)
    {
        ArgumentNullException.ThrowIfNull(errorInfo);
        var status = new RpcStatus { Code = (int)code, Message = message, Details = { Google.Protobuf.WellKnownTypes.Any.Pack(errorInfo) } };
        foreach (var detail in details)
        {
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(detail));
        }
        return status;
    }

    /// <summary>An ErrorInfo of EventLog's domain with <paramref name="reason"/>.</summary>
    public static ErrorInfo Info(string reason) => new() { Reason = reason, Domain = ErrorDomain };
}
