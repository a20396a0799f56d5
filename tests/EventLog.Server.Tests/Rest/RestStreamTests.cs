using EventLog.Server.Tests.Messages;
using EventLog.Server.Tests.TaskLog;
using EventLog.V1;

namespace EventLog.Server.Tests.Rest;

/// <summary>
/// Server-streaming RPCs over HTTP/1.1: transcoding sends one JSON message per line as it is produced. A stream
/// ends by itself when its RPC does (a followed task ends), or when the client goes away, which the server logs
/// as a cancelled call, not as an error.
/// </summary>
public sealed class RestStreamTests
{
    [Fact]
    public async Task FollowTaskLog_SendsStoredThenNewLines_AndEndsWhenTheClientLeaves()
    {
        await using var kit = await TaskLogTestKit.StartAsync();
        var task = await kit.StartTaskAsync();
        await kit.AppendAsync(task.Id, 1, "line 1", "line 2");
        var reader = kit.Server.CreateHttpClient(TestTokens.ReaderA);

        var received = new List<string>();
        await foreach (var response in reader.StreamAsync<TailTaskLogResponse>($"{RestCalls.ProjectA}/tasks/{task.Id}/log?follow=true"))
        {
            received.AddRange(response.Lines?.Lines ?? []);
            if (received.Count == 2)
            {
                await kit.AppendAsync(task.Id, 3, "line 3");
            }
            if (received.Count == 3)
            {
                Assert.Equal(3, response.Sequence);
                break;
            }
        }

        Assert.Equal(["line 1", "line 2", "line 3"], received);
        Assert.True(await TestTimeouts.EventuallyAsync(() => kit.Server.Logs.Entries.Any(e => e.Message.Contains("TailTaskLog CANCELLED", StringComparison.Ordinal))),
            "the server did not see the client leave");
    }

    [Fact]
    public async Task FollowTaskLog_EndsByItselfWithTheTaskInItsFinalState()
    {
        await using var kit = await TaskLogTestKit.StartAsync();
        var task = await kit.StartTaskAsync();
        await kit.AppendAsync(task.Id, 1, "only line");
        var reader = kit.Server.CreateHttpClient(TestTokens.ReaderA);

        var responses = new List<TailTaskLogResponse>();
        await foreach (var response in reader.StreamAsync<TailTaskLogResponse>($"{RestCalls.ProjectA}/tasks/{task.Id}/log?follow=true&after_line=0"))
        {
            responses.Add(response);
            if (response.UpdateCase == TailTaskLogResponse.UpdateOneofCase.Lines)
            {
                await kit.Agent.CompleteTaskAsync(new CompleteTaskRequest { TaskId = task.Id }, deadline: TaskLogTestKit.Deadline);
            }
        }

        Assert.Equal("only line", Assert.Single(responses.Where(r => r.Lines is not null).SelectMany(r => r.Lines.Lines)));
        Assert.Equal(TaskState.Succeeded, responses[^1].TaskEnded.State);
    }

    [Fact]
    public async Task WatchMessages_SendsStoredThenNewMessages()
    {
        await using var kit = await MessagesTestKit.StartAsync();
        var stored = await kit.CreateAsync("req-before");
        var reader = kit.Server.CreateHttpClient(TestTokens.ReaderA);

        var seen = new List<WatchMessagesResponse>();
        Message? created = null;
        await foreach (var response in reader.StreamAsync<WatchMessagesResponse>($"{RestCalls.ProjectA}/messages:watch?after_sequence=0"))
        {
            seen.Add(response);
            if (response.Message?.Id == stored.Id)
            {
                created = await kit.CreateAsync("req-while-watching");
            }
            if (created is not null && response.Message?.Id == created.Id)
            {
                break;
            }
        }

        Assert.Equal([stored.Id, created!.Id], seen.Where(r => r.Message is not null).Select(r => r.Message.Id));
        Assert.Equal(created.Sequence, seen[^1].Sequence);
    }
}
