namespace EventLog.Client;

/// <summary>
/// Settings of an <see cref="EventLogClient"/>. Bound from configuration by
/// <see cref="EventLogServiceCollectionExtensions.AddEventLogClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>
/// (section <c>EventLog</c> by convention).
/// </summary>
public sealed class EventLogClientOptions
{
    /// <summary>The configuration section name used by convention: <c>EventLog</c>.</summary>
    public const string SectionName = "EventLog";

    /// <summary>The address used when none is set: <c>http://127.0.0.1:50051</c>.</summary>
    public const string DefaultAddress = "http://127.0.0.1:50051";

    /// <summary>
    /// The server address, such as <c>http://127.0.0.1:50051</c> (cleartext HTTP/2) or
    /// <c>https://eventlog.example.com</c> (TLS). Default: <see cref="DefaultAddress"/>.
    /// </summary>
    public Uri Address { get; set; } = new(DefaultAddress);

    /// <summary>
    /// The bearer token sent as <c>authorization: Bearer &lt;token&gt;</c> on every call.
    /// Null or empty sends no token (the server then answers UNAUTHENTICATED). Default: null.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The project every request names. Empty means the token's own project; only admin tokens may
    /// name another one. Default: empty.
    /// </summary>
    public string Project { get; set; } = "";

    /// <summary>
    /// BCP 47 locale of the text the server renders (task details, request messages, user messages),
    /// such as <c>pt-BR</c>. Empty means the server's default. Default: empty.
    /// </summary>
    public string Locale { get; set; } = "";

    /// <summary>
    /// The deadline of each attempt of a unary call, unless the method takes its own timeout
    /// (waits and publishes). Streams have no deadline. Default: 30 seconds.
    /// </summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How failed calls are retried and dropped streams resumed.</summary>
    public EventLogRetryOptions Retry { get; set; } = new();

    /// <summary>The largest response message accepted, in bytes. Null means no limit. Default: 4 MiB.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest request message sent, in bytes. Null means no limit. Default: 4 MiB.</summary>
    public int? MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>How request messages are compressed. Default: <see cref="EventLogCompression.None"/>.</summary>
    public EventLogCompression Compression { get; set; } = EventLogCompression.None;

    /// <summary>
    /// The HTTP handler calls go through instead of the client's own (to trust a certificate, add a
    /// proxy or observe traffic in tests). Not disposed with the client. Default: null.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    internal EventLogClientOptions Clone() => new()
    {
        Address = Address,
        Token = Token,
        Project = Project,
        Locale = Locale,
        DefaultDeadline = DefaultDeadline,
        Retry = Retry.Clone(),
        MaxReceiveMessageSize = MaxReceiveMessageSize,
        MaxSendMessageSize = MaxSendMessageSize,
        Compression = Compression,
        HttpHandler = HttpHandler,
    };

    internal void Validate()
    {
        if (Address is null || !Address.IsAbsoluteUri || (Address.Scheme != Uri.UriSchemeHttp && Address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"EventLog Address '{Address}' must be an absolute http:// or https:// URI.", nameof(Address));
        }
        if (DefaultDeadline <= TimeSpan.Zero)
        {
            throw new ArgumentException("EventLog DefaultDeadline must be positive.", nameof(DefaultDeadline));
        }
        Retry.Validate();
    }
}
