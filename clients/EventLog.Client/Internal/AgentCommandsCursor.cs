using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>
/// AgentCommands reopened whenever it drops. It has no sequence: the server redelivers every command
/// whose result was not reported, and the agent host skips the ones it already carries out.
/// </summary>
internal sealed class AgentCommandsCursor(GuestLogsService.GuestLogsServiceClient stub, string project, string instanceId, EventLogStreamOptions? streamOptions)
    : StreamCursor<AgentCommandsResponse>
{
    public override bool ResumeOnEnd => true;

    public override AsyncServerStreamingCall<AgentCommandsResponse> Open(CallOptions options) =>
        stub.AgentCommands(new AgentCommandsRequest { Project = project, InstanceId = instanceId }, options);

    public override bool Accept(AgentCommandsResponse response)
    {
        if (response.UpdateCase == AgentCommandsResponse.UpdateOneofCase.Command)
        {
            return true;
        }
        if (response.Heartbeat is { } heartbeat)
        {
            Heartbeats.Notify(streamOptions, heartbeat);
        }
        return false;
    }
}
