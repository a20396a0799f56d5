namespace EventLog.Client;

/// <summary>One request field the server rejected, from <c>google.rpc.BadRequest</c>.</summary>
/// <param name="Field">The field path, such as <c>page_size</c>.</param>
/// <param name="Description">Why it was rejected, such as <c>must not be negative</c>.</param>
public sealed record FieldViolation(string Field, string Description);
