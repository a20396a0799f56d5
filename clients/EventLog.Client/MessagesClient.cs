using System.Runtime.CompilerServices;
using EventLog.Client.Internal;
using EventLog.V1;
using Grpc.Core;

namespace EventLog.Client;

/// <summary>
/// User-facing failure messages (<c>MessagesService</c>, Cinder's action + detail scheme). Get it from
/// <see cref="EventLogClient.Messages"/>.
/// </summary>
public class MessagesClient
{
    private readonly MessagesService.MessagesServiceClient _stub;
    private readonly CallRunner _runner;

    internal MessagesClient(CallInvoker invoker, CallRunner runner)
    {
        _stub = new MessagesService.MessagesServiceClient(invoker);
        _runner = runner;
    }

    /// <summary>For mocking only.</summary>
    protected MessagesClient()
    {
        _stub = null!;
        _runner = null!;
    }

    private string Project => _runner.Options.Project;

    private string Locale => _runner.Options.Locale;

    private string OrDefault(string project) => string.IsNullOrEmpty(project) ? Project : project;

    /// <summary>
    /// Creates a message from catalog codes (services and agents). Idempotent on request id, action,
    /// detail and resource, so it is retried safely.
    /// </summary>
    /// <param name="request">The message; its project defaults to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored message, with its rendered text.</returns>
    /// <exception cref="EventLogException">INVALID_ARGUMENT for unknown codes, with the field in <see cref="EventLogException.FieldViolations"/>.</exception>
    public virtual async Task<Message> CreateMessageAsync(CreateMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        var response = await _runner.RunAsync(o => _stub.CreateMessageAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Message;
    }

    /// <summary>Reads one message.</summary>
    /// <param name="id">The message UUID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The message, rendered in the client's locale.</returns>
    /// <exception cref="EventLogException">NOT_FOUND when there is no such message in the project.</exception>
    public virtual async Task<Message> GetMessageAsync(string id, CancellationToken cancellationToken = default)
    {
        var request = new GetMessageRequest { Project = Project, Id = id, Locale = Locale };
        var response = await _runner.RunAsync(o => _stub.GetMessageAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.Message;
    }

    /// <summary>Lists messages, newest first, fetching pages as the caller enumerates.</summary>
    /// <param name="filter">
    /// Resource, action, detail, request id, level, host, user, time range; null lists all. Page fields are ignored.
    /// <see cref="ListMessagesRequest.AllProjects"/> lists every project's messages (admin tokens only).
    /// </param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The messages.</returns>
    public virtual IAsyncEnumerable<Message> ListMessagesAsync(ListMessagesRequest? filter = null, CancellationToken cancellationToken = default)
    {
        var template = filter?.Clone() ?? new ListMessagesRequest();
        return Pager.ListAsync((token, ct) =>
        {
            var request = template.Clone();
            request.PageToken = token;
            return ListMessagesPageAsync(request, ct);
        }, page => page.Messages, page => page.NextPageToken, cancellationToken);
    }

    /// <summary>Reads one page of messages.</summary>
    /// <param name="request">Filters, page size and token; project and locale default to the client's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<ListMessagesResponse> ListMessagesPageAsync(ListMessagesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        request.Locale = string.IsNullOrEmpty(request.Locale) ? Locale : request.Locale;
        return _runner.RunAsync(o => _stub.ListMessagesAsync(request, o), Retry.Idempotent, cancellationToken);
    }

    /// <summary>Deletes a message (member role). A resent delete whose first attempt succeeded is not an error.</summary>
    /// <param name="id">The message UUID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="EventLogException">NOT_FOUND when there is no such message in the project.</exception>
    public virtual async Task DeleteMessageAsync(string id, CancellationToken cancellationToken = default)
    {
        var request = new DeleteMessageRequest { Project = Project, Id = id };
        await _runner.RunAsync(o => _stub.DeleteMessageAsync(request, o), Retry.Idempotent, cancellationToken,
            recoverAfterRetry: failure => Task.FromResult(failure.IsNotFound ? new DeleteMessageResponse() : null)).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the expired messages, or those created before a time, of the client's project, the request's, or
    /// every project (<see cref="PurgeMessagesRequest.AllProjects"/>); admin tokens only. The server deletes in
    /// batches, each its own transaction, so a purge of millions of rows never holds a long lock.
    /// </summary>
    /// <param name="request">
    /// <see cref="PurgeMessagesRequest.Before"/>, <see cref="PurgeMessagesRequest.Expired"/> or both (a message
    /// matching either goes); its project defaults to the client's.
    /// </param>
    /// <param name="cancellationToken">Cancels the call; batches already deleted stay deleted.</param>
    /// <returns>How many messages were deleted. A retry after a lost reply counts only what the retry deleted.</returns>
    /// <exception cref="EventLogException">PERMISSION_DENIED for a token that is not an admin; INVALID_ARGUMENT when neither condition is set.</exception>
    public virtual async Task<long> PurgeMessagesAsync(PurgeMessagesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request.Clone();
        request.Project = OrDefault(request.Project);
        var response = await _runner.RunAsync(o => _stub.PurgeMessagesAsync(request, o), Retry.Idempotent, cancellationToken).ConfigureAwait(false);
        return response.DeletedCount;
    }

    /// <summary>
    /// Watches the project's messages: those after <paramref name="afterSequence"/>, then new ones as they are
    /// created. Resumes after the last message if the connection drops, with no gap and no duplicate.
    /// </summary>
    /// <param name="afterSequence">Start after this sequence; 0 starts at the oldest retained message.</param>
    /// <param name="streamOptions">Heartbeat, reset and reconnect hooks, or null.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>The messages in creation order.</returns>
    public virtual async IAsyncEnumerable<Message> WatchMessagesAsync(long afterSequence = 0, EventLogStreamOptions? streamOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = new MessagesCursor(_stub, Project, Locale, afterSequence, streamOptions);
        await foreach (var response in ResumableStream.RunAsync(cursor, _runner.Options, streamOptions, cancellationToken).ConfigureAwait(false))
        {
            yield return response.Message;
        }
    }
}
