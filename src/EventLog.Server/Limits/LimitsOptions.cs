namespace EventLog.Server.Limits;

/// <summary>
/// Per-principal limits (configuration section <c>Limits</c>). A principal is one configured token.
/// Message sizes are <c>Grpc:MaxReceiveMessageSize</c>/<c>MaxSendMessageSize</c>, the slow-consumer bound is
/// <c>Grpc:StreamWriteTimeout</c> and the page size bound is fixed (1000).
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Limits";

    /// <summary>
    /// Streaming calls (watches, tails, uploads, agent channels) one principal may have open at once; one more
    /// fails with RESOURCE_EXHAUSTED. 0 disables the limit. Default 100.
    /// </summary>
    public int MaxConcurrentStreamsPerPrincipal { get; set; } = 100;

    /// <summary>
    /// Sustained rate of writes (every RPC that records or changes something, and each message of a
    /// client-streaming upload) per principal and second. 0 disables the limit. Default 200.
    /// </summary>
    public double WritesPerSecondPerPrincipal { get; set; } = 200;

    /// <summary>Writes a principal may make in a burst above the sustained rate (the token bucket's size). Default 400.</summary>
    public int WriteBurstPerPrincipal { get; set; } = 400;
}
