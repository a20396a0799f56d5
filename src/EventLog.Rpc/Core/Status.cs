namespace Grpc.Core;

/// <summary>The outcome of a call: a code and a human-readable detail.</summary>
public readonly struct Status : IEquatable<Status>
{
    /// <summary>The default success status.</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, "");

    /// <summary>The default cancelled status.</summary>
    public static readonly Status DefaultCancelled = new(StatusCode.Cancelled, "");

    /// <summary>Creates a status.</summary>
    public Status(StatusCode statusCode, string detail)
        : this(statusCode, detail, null)
    {
    }

    /// <summary>Creates a status that remembers the exception that caused it (never sent to peers).</summary>
    public Status(StatusCode statusCode, string detail, Exception? debugException)
    {
        StatusCode = statusCode;
        Detail = detail ?? "";
        DebugException = debugException;
    }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The detail message (sent as grpc-message).</summary>
    public string Detail { get; }

    /// <summary>A local exception for diagnostics; never sent over the wire.</summary>
    public Exception? DebugException { get; }

    /// <inheritdoc/>
    public bool Equals(Status other) => StatusCode == other.StatusCode && Detail == other.Detail;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Status other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StatusCode, Detail);

    /// <summary>Equality.</summary>
    public static bool operator ==(Status left, Status right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Status left, Status right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => DebugException is null
        ? $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")"
        : $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\", DebugException=\"{DebugException.GetType()}: {DebugException.Message}\")";
}
