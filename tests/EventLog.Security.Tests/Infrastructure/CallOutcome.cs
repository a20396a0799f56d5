using Google.Protobuf;

namespace EventLog.Security.Tests.Infrastructure;

/// <summary>What a call ended with, and every response it received before that.</summary>
public sealed record CallOutcome(StatusCode Code, string Detail, IReadOnlyList<IMessage> Responses, Metadata Trailers)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Code} '{Detail}' after {Responses.Count} response(s)";
}
