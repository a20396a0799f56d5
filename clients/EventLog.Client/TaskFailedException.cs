namespace EventLog.Client;

/// <summary>
/// Thrown by task code to fail its task with a catalog detail code, such as <c>KCHVM0001E</c> with
/// <c>{"name": "vm1"}</c>; <see cref="TaskLogClient.RunAsync"/> and <see cref="TaskScope.FailAsync(Exception, CancellationToken)"/>
/// record that code.
/// </summary>
public class TaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="detailCode">The catalog code of the failure.</param>
    /// <param name="detailParams">Parameters of the detail template, or null.</param>
    /// <param name="message">A message for logs; null uses the code.</param>
    /// <param name="innerException">The cause, or null.</param>
    public TaskFailedException(string detailCode, IReadOnlyDictionary<string, string>? detailParams = null, string? message = null, Exception? innerException = null)
        : base(message ?? $"Task failed: {detailCode}", innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(detailCode);
        DetailCode = detailCode;
        DetailParams = detailParams ?? new Dictionary<string, string>();
    }

    /// <summary>The catalog code of the failure.</summary>
    public string DetailCode { get; }

    /// <summary>Parameters of the detail template.</summary>
    public IReadOnlyDictionary<string, string> DetailParams { get; }
}
