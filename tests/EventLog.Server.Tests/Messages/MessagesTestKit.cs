using EventLog.V1;

namespace EventLog.Server.Tests.Messages;

/// <summary>A test server with short heartbeats and Messages clients per role; every call has a deadline.</summary>
public sealed class MessagesTestKit : IAsyncDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    private MessagesTestKit(EventLogHost server)
    {
        Server = server;
        Agent = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentA));
        Reader = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderA));
        Member = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.MemberA));
        ReaderB = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.ReaderB));
        AgentB = new MessagesService.MessagesServiceClient(server.CreateChannel(TestTokens.AgentB));
    }

    public EventLogHost Server { get; }
    public MessagesService.MessagesServiceClient Agent { get; }
    public MessagesService.MessagesServiceClient Reader { get; }
    public MessagesService.MessagesServiceClient Member { get; }
    public MessagesService.MessagesServiceClient ReaderB { get; }
    public MessagesService.MessagesServiceClient AgentB { get; }

    public static DateTime Deadline => TestTimeouts.Deadline(CallTimeout.TotalSeconds);

    public static async Task<MessagesTestKit> StartAsync(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Messages:HeartbeatInterval"] = "00:00:00.200" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new MessagesTestKit(await EventLogHost.StartAsync(all));
    }

    public async Task<Message> CreateAsync(string requestId, string action = "001", string detail = "003", MessageLevel level = MessageLevel.Error,
        string resourceType = "volume", string? resourceUuid = null, MessagesService.MessagesServiceClient? client = null)
    {
        var request = new CreateMessageRequest
        {
            RequestId = requestId, ActionCode = action, DetailCode = detail, Level = level, ResourceType = resourceType,
            ResourceUuid = resourceUuid ?? Guid.NewGuid().ToString(), Host = "BS-cind1",
        };
        return (await (client ?? Agent).CreateMessageAsync(request, deadline: Deadline)).Message;
    }

    public static Task<T?> NextAsync<T>(IAsyncStreamReader<T> stream)
        where T : class => stream.ReadNextAsync(CallTimeout);

    /// <summary>The next message of a watch, skipping heartbeats.</summary>
    public static async Task<WatchMessagesResponse> NextMessageAsync(IAsyncStreamReader<WatchMessagesResponse> stream)
    {
        while (true)
        {
            var next = await NextAsync(stream);
            Assert.NotNull(next);
            if (next.UpdateCase == WatchMessagesResponse.UpdateOneofCase.Message)
            {
                return next;
            }
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
