namespace EventLog.Client;

/// <summary>Settings of a <see cref="TaskScope"/>.</summary>
public sealed class TaskScopeOptions
{
    /// <summary>The <c>request_id</c> of the user request that spawned the task; its outcome follows the task. Default: null.</summary>
    public string? SpawningRequestId { get; set; }

    /// <summary>Idempotency key of the start; null generates one (reused by retries). Default: null.</summary>
    public string? RequestId { get; set; }

    /// <summary>Start QUEUED instead of RUNNING; the first progress report runs it. Default: false.</summary>
    public bool Queued { get; set; }

    /// <summary>How long log lines are gathered before a batch is sent. Default: 200 ms.</summary>
    public TimeSpan LogFlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most lines sent in one batch. Default: 500.</summary>
    public int MaxLinesPerBatch { get; set; } = 500;

    /// <summary>
    /// Watch the task's state so that <see cref="TaskScope.CancellationToken"/> fires when someone cancels
    /// the task. Default: true.
    /// </summary>
    public bool WatchForCancellation { get; set; } = true;

    /// <summary>
    /// The catalog detail code recorded when the scope fails with an exception that carries none
    /// (anything but a <see cref="TaskFailedException"/>); its parameter <c>err</c> is the exception's type
    /// and message. It must exist in the server's catalog. Default: <c>WOKASYNC0002E</c> (Wok's generic
    /// task error, "... due error: {err}").
    /// </summary>
    public string UnhandledErrorDetailCode { get; set; } = "WOKASYNC0002E";

    /// <summary>
    /// The catalog detail code recorded when the scope is disposed without an outcome (no
    /// <see cref="TaskScope.CompleteAsync"/>, failure or cancel request); its parameter <c>err</c> says so. It must exist in the server's catalog.
    /// Default: <c>WOKASYNC0002E</c>.
    /// </summary>
    public string AbandonedDetailCode { get; set; } = "WOKASYNC0002E";

    /// <summary>How long disposal may take to flush logs and record the outcome. Default: 30 seconds.</summary>
    public TimeSpan DisposeTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
