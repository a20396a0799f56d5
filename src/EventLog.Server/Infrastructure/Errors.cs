using System.Diagnostics.CodeAnalysis;
using EventLog.Rpc;
using Google.Rpc;
using Grpc.Core;

namespace EventLog.Server.Infrastructure;

/// <summary>Throws <see cref="RpcException"/>s with precise codes, ErrorInfo reasons and field violations.</summary>
public static class Errors
{
    /// <summary>INVALID_ARGUMENT naming the field, with a google.rpc.BadRequest violation.</summary>
    [DoesNotReturn]
    public static void InvalidArgument(string field, string description) =>
        throw StatusDetails.InvalidArgument("INVALID_ARGUMENT", (field, description));

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
    public static RpcException Create(StatusCode code, string reason, string message) =>
        StatusDetails.CreateException(code, message, new ErrorInfo { Reason = reason, Domain = StatusDetails.ErrorDomain });

    /// <summary>Checks a required string field.</summary>
    public static string Required(string? value, string field, int maxLength = 256)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            InvalidArgument(field, "is required");
        }
        if (value.Length > maxLength)
        {
            InvalidArgument(field, $"must be at most {maxLength} characters");
        }
        return value;
    }

    /// <summary>Checks an optional string field's length; returns null for empty.</summary>
    public static string? Optional(string? value, string field, int maxLength = 256)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length > maxLength)
        {
            InvalidArgument(field, $"must be at most {maxLength} characters");
        }
        return value;
    }

    /// <summary>Checks a defined enum value (unknown values are INVALID_ARGUMENT).</summary>
    public static TEnum DefinedEnum<TEnum>(TEnum value, string field, bool allowUnspecified)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value) || (!allowUnspecified && Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0))
        {
            InvalidArgument(field, allowUnspecified ? "is not a known value" : "is required and must be a known value");
        }
        return value;
    }
}
