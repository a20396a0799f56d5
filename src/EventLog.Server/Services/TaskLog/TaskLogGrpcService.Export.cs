using EventLog.V1;

namespace EventLog.Server.Services.TaskLog;

public sealed partial class TaskLogGrpcService
{
    /// <inheritdoc/>
    public override async Task ExportRequests(ExportRequestsRequest request, IServerStreamWriter<ExportRequestsResponse> responseStream, ServerCallContext context)
    {
        var project = context.AuthorizeProject(Access.Read, request.Project);
        var zone = TaskLogValidation.Zone(request.TimeZone, "time_zone");
        var locale = TaskLogValidation.Locale(request.Locale);
        var filter = TaskLogValidation.Filter(request.Filter, project);
        var after = TaskLogValidation.After(request.AfterSequence, "after_sequence");
        while (true)
        {
            var entries = await repository.ReadRequestsAfterAsync(filter, after, _options.ExportBatchEntries, context.CancellationToken);
            if (entries.Count == 0)
            {
                return;
            }

            after = entries[^1].Id;
            var response = new ExportRequestsResponse { Sequence = after };
            response.Lines.Add(entries.Select(e => ExportFormatter.Format(e, zone, catalog, locale)));
            await responseStream.WriteAsync(response, context.CancellationToken);
            if (entries.Count < _options.ExportBatchEntries)
            {
                return;
            }
        }
    }
}
