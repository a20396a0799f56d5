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
    /// The addresses of several replicas of one deployment. When not empty, calls are balanced over them
    /// round-robin (a replica that cannot be reached is skipped until it answers again) and
    /// <see cref="Address"/> is not used. All must use the same scheme. Default: empty.
    /// </summary>
    public IList<Uri> Addresses { get; set; } = new List<Uri>();

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

    /// <summary>How long the client's own HTTP handler waits for a TCP (and TLS) connection. Default: 20 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// After how long without a frame from the server the client's own HTTP handler pings a connection
    /// that has calls open, so a dropped connection is found and streams resume. Default: 60 seconds.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the client waits for a ping's answer before it closes the connection. Default: 30 seconds.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The HTTP handler calls go through instead of the client's own (to trust a certificate, add a
    /// proxy or observe traffic in tests). Not disposed with the client. Default: null.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    internal EventLogClientOptions Clone() => new()
    {
        Address = Address,
        Addresses = [.. Addresses],
        ConnectTimeout = ConnectTimeout,
        KeepAlivePingDelay = KeepAlivePingDelay,
        KeepAlivePingTimeout = KeepAlivePingTimeout,
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
        if (Addresses.Any(a => a is null || !a.IsAbsoluteUri || a.Scheme != Addresses[0].Scheme || (a.Scheme != Uri.UriSchemeHttp && a.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException("EventLog Addresses must all be absolute URIs of one scheme, http:// or https://.", nameof(Addresses));
        }
        if (ConnectTimeout <= TimeSpan.Zero || KeepAlivePingDelay <= TimeSpan.Zero || KeepAlivePingTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("EventLog ConnectTimeout, KeepAlivePingDelay and KeepAlivePingTimeout must be positive.", nameof(ConnectTimeout));
        }
        if (DefaultDeadline <= TimeSpan.Zero)
        {
            throw new ArgumentException("EventLog DefaultDeadline must be positive.", nameof(DefaultDeadline));
        }
        Retry.Validate();
    }
}
