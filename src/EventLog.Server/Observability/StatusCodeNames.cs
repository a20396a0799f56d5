
namespace EventLog.Server.Observability;

/// <summary>Upper-case status names (<c>NOT_FOUND</c>) as the gRPC spec writes them, without allocating per call.</summary>
public static class StatusCodeNames
{
    private static readonly string[] Names =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>The spec name of <paramref name="code"/>; <c>UNKNOWN</c> for a value outside the enum.</summary>
    public static string Get(StatusCode code) => (int)code is var i && i >= 0 && i < Names.Length ? Names[i] : "UNKNOWN";
}
