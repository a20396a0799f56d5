namespace EventLog.Security.Tests.Infrastructure;

/// <summary>The resources a generated request points at: their project (empty = the caller's own) and ids.</summary>
public sealed record Target
{
    public string Project { get; init; } = "";
    public long TaskId { get; init; }
    public string RequestId { get; init; } = "";
    public string MessageId { get; init; } = "";
    public string ClusterId { get; init; } = "";
    public string StepId { get; init; } = "";
    public string InstanceId { get; init; } = "";
    public string LogName { get; init; } = "";
    public string CommandId { get; init; } = "";
    public string App { get; init; } = "kimchi";
    public string TargetUri { get; init; } = "/plugins/kimchi/vms/x/clone";

    /// <summary>The same ids with another project value.</summary>
    public Target InProject(string project) => this with { Project = project };
}
