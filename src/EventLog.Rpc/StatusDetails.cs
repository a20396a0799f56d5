using EventLog.Rpc.Internal;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace EventLog.Rpc;

/// <summary>
/// Puts a <c>google.rpc.Status</c> with typed details (ErrorInfo, BadRequest, RetryInfo...) in
/// <c>grpc-status-details-bin</c>, and reads it back.
/// </summary>
public static class StatusDetails
{
    /// <summary>The trailer key carrying the serialized google.rpc.Status.</summary>
    public const string TrailerKey = GrpcProtocol.StatusDetailsTrailer;

    /// <summary>Creates an exception whose trailers carry a google.rpc.Status with the given details.</summary>
    public static RpcException CreateException(StatusCode code, string message, params IMessage[] details)
    {
        var status = new RpcStatus { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }
        var trailers = new Metadata { { TrailerKey, status.ToByteArray() } };
        return new RpcException(new Grpc.Core.Status(code, message), trailers);
    }

    /// <summary>Creates an INVALID_ARGUMENT exception naming the offending fields.</summary>
    public static RpcException InvalidArgument(string reason, params (string Field, string Description)[] violations)
    {
        var badRequest = new BadRequest();
        foreach (var (field, description) in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        }
        var message = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        return CreateException(StatusCode.InvalidArgument, message, new ErrorInfo { Reason = reason, Domain = ErrorDomain }, badRequest);
    }

    /// <summary>
    /// The serialized google.rpc.Status for a status that carries no details of its own (one the runtime
    /// produced: deadline, size limit, unimplemented, shutdown): an ErrorInfo whose reason is the code name.
    /// </summary>
    public static byte[] ForBareStatus(Grpc.Core.Status status)
    {
        var rpcStatus = new RpcStatus { Code = (int)status.StatusCode, Message = status.Detail };
        rpcStatus.Details.Add(Any.Pack(new ErrorInfo { Reason = StatusCodeNames.Get(status.StatusCode), Domain = ErrorDomain }));
        return rpcStatus.ToByteArray();
    }

    /// <summary>The ErrorInfo domain EventLog uses.</summary>
    public const string ErrorDomain = "eventlog.v1";

    /// <summary>Reads the google.rpc.Status from an exception's trailers, or null if absent or malformed.</summary>
    public static RpcStatus? GetRpcStatus(this RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var bytes = exception.Trailers.GetValueBytes(TrailerKey);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return RpcStatus.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>The first detail of type <typeparamref name="T"/>, or null.</summary>
    public static T? GetDetail<T>(this RpcStatus status)
        where T : class, IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(status);
        var descriptor = new T().Descriptor;
        foreach (var any in status.Details)
        {
            if (any.Is(descriptor))
            {
                return any.Unpack<T>();
            }
        }
        return null;
    }
}
