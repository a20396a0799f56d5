using EventLog.Storage.Core;
using EventLog.Storage.GuestLogs;
using EventLog.V1;

namespace EventLog.Server.Services.GuestLogs;

public sealed partial class GuestLogsGrpcService
{
    /// <inheritdoc/>
    public override async Task<ListLogsResponse> ListLogs(ListLogsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.Resolve(request.PageSize);
        var logs = await LoadInstanceAsync(context, Access.Read, request.Project, request.InstanceId);
        var after = GuestLogsValidation.PageAfter(request.PageToken, request.InstanceId);

        // A catalog is a handful of logs: page by name in memory.
        var isAdmin = context.GetPrincipal().IsAdmin;
        var visible = logs.Where(l => (isAdmin || exposure.IsExposed(l)) && string.CompareOrdinal(l.LogName, after) > 0).ToList();
        var page = visible.Take(pageSize).ToList();
        var response = new ListLogsResponse
        {
            NextPageToken = visible.Count > pageSize ? GuestLogsValidation.PageToken(request.InstanceId, page[^1].LogName) : "",
        };
        response.Logs.Add(page.Select(Map));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<GetLogResponse> GetLog(GetLogRequest request, ServerCallContext context) =>
        new() { Log = Map(await LoadLogAsync(context, Access.Read, request.Project, request.InstanceId, request.LogName)) };

    /// <inheritdoc/>
    public override async Task<RegisterLogsResponse> RegisterLogs(RegisterLogsRequest request, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Write, request.Project);
        var instanceId = GuestLogsValidation.InstanceId(request.InstanceId);
        var datastore = GuestLogsValidation.Datastore(request.Datastore);
        GuestLogsValidation.Definitions(request.Logs);
        var existing = (await repository.ListLogsAsync(instanceId, context.CancellationToken)).ToDictionary(l => l.LogName, StringComparer.Ordinal);
        if (existing.Count > 0 && existing.Values.First().Project != project)
        {
            Errors.NotFound($"Instance {instanceId} belongs to another project.");
        }

        var response = new RegisterLogsResponse();
        foreach (var definition in request.Logs)
        {
            var previous = existing.GetValueOrDefault(definition.Name);
            await repository.UpsertLogAsync(GuestLogMapper.ToDefinition(definition, project, instanceId, datastore), context.CancellationToken);
            var (intended, correction) = GuestLogStatusRules.Intent(definition, previous, exposure.IsExposed(datastore, definition.Name, definition.Exposed));
            var status = GuestLogStatusRules.OnRegister(intended, previous);
            var stored = await repository.SetStatusAsync(instanceId, definition.Name, status, GuestLogStatusRules.Pending(definition, previous), context.CancellationToken);
            if (correction is { } command)
            {
                // The agent came back with another idea of the log (a restart forgot the user's enable): tell it now.
                await QueueAsync(command, stored, context.CancellationToken);
            }
            response.Logs.Add(Map(stored));
        }

        LogRegistered(logger, instanceId, datastore, project, request.Logs.Count);
        return response;
    }

    /// <inheritdoc/>
    public override async Task<ReportRestartResponse> ReportRestart(ReportRestartRequest request, ServerCallContext context)
    {
        var logs = await LoadInstanceAsync(context, Access.Write, request.Project, request.InstanceId);
        var response = new ReportRestartResponse();
        var completed = 0;
        foreach (var log in logs)
        {
            var after = log;
            if (log.Status == Storage.GuestLogs.GuestLogStatus.RestartRequired)
            {
                after = await repository.SetStatusAsync(log.InstanceId, log.LogName, Storage.GuestLogs.GuestLogStatus.RestartCompleted, cancellationToken: context.CancellationToken);
                completed++;
            }

            response.Logs.Add(Map(after));
        }

        LogRestartReported(logger, request.InstanceId, completed);
        return response;
    }
}
