using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Contract;

public abstract class AgentCommandContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private const int Limit = 100;

    private IAgentCommandRepository Repo => Get<IAgentCommandRepository>();

    private DateTime Now => Fixture.Clock.GetUtcNow().UtcDateTime;

    [SkippableFact]
    public async Task Enqueue_ReadsPendingInCommitOrder_UntilTheResultIsRecorded()
    {
        var instance = Unique("i");
        var enable = await Enqueue(instance, AgentCommandType.Enable, "general");
        var discard = await Enqueue(instance, AgentCommandType.Discard, "guest");
        Assert.Equal(enable.Seq + 1, discard.Seq);
        Assert.Null(enable.CompletedAt);

        var pending = await Repo.ReadPendingAsync(instance, 0, 10).WaitAsync(Timeout);
        Assert.Equal([(enable.CommandId, AgentCommandType.Enable, "general"), (discard.CommandId, AgentCommandType.Discard, "guest")],
            pending.Select(c => (c.CommandId, c.CommandType, c.LogName)));
        Assert.Equal([discard.CommandId], (await Repo.ReadPendingAsync(instance, enable.Seq, 10).WaitAsync(Timeout)).Select(c => c.CommandId));
        Assert.Single(await Repo.ReadPendingAsync(instance, 0, 1).WaitAsync(Timeout));

        var done = await Repo.CompleteAsync(instance, enable.CommandId, true, null).WaitAsync(Timeout);
        Assert.NotNull(done);
        Assert.Equal((true, (string?)null), (done.Succeeded, done.ErrorMessage));
        Assert.NotNull(done.CompletedAt);
        var failed = await Repo.CompleteAsync(instance, discard.CommandId, false, "no such file").WaitAsync(Timeout);
        Assert.Equal((false, "no such file"), (failed!.Succeeded, failed.ErrorMessage));
        Assert.Empty(await Repo.ReadPendingAsync(instance, 0, 10).WaitAsync(Timeout));

        // A result counts once; another instance's agent cannot report it; unknown ids are not pending either.
        Assert.Null(await Repo.CompleteAsync(instance, enable.CommandId, false, "again").WaitAsync(Timeout));
        var other = await Enqueue(instance, AgentCommandType.Disable, "general");
        Assert.Null(await Repo.CompleteAsync(Unique("i"), other.CommandId, true, null).WaitAsync(Timeout));
        Assert.Null(await Repo.CompleteAsync(instance, "nope", true, null).WaitAsync(Timeout));
        Assert.Equal(true, (await Repo.GetAsync(instance, enable.CommandId).WaitAsync(Timeout))!.Succeeded);
        Assert.Null(await Repo.GetAsync(Unique("i"), enable.CommandId).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task DeliveredButUnacknowledged_StaysPending_AndCountsDeliveries()
    {
        var instance = Unique("i");
        var command = await Enqueue(instance, AgentCommandType.Enable, "general");
        await Repo.MarkDeliveredAsync(instance, [command.CommandId]).WaitAsync(Timeout);
        await Repo.MarkDeliveredAsync(instance, [command.CommandId]).WaitAsync(Timeout);

        var pending = Assert.Single(await Repo.ReadPendingAsync(instance, 0, 10).WaitAsync(Timeout));
        Assert.Equal((command.CommandId, 2), (pending.CommandId, pending.Deliveries));
        Assert.NotNull(pending.DeliveredAt);
    }

    [SkippableFact]
    public async Task Publish_JoinsThePendingPublishOfTheSameLog_Only()
    {
        var instance = Unique("i");
        var first = await Enqueue(instance, AgentCommandType.Publish, "guest");
        Assert.Equal(first.CommandId, (await Enqueue(instance, AgentCommandType.Publish, "guest")).CommandId);
        Assert.NotEqual(first.CommandId, (await Enqueue(instance, AgentCommandType.Publish, "general")).CommandId);
        Assert.NotEqual(first.CommandId, (await Enqueue(instance, AgentCommandType.Discard, "guest")).CommandId);

        // A publish asked for after the discard must run after it (from offset 0): it cannot join the one before.
        var afterDiscard = await Enqueue(instance, AgentCommandType.Publish, "guest");
        Assert.NotEqual(first.CommandId, afterDiscard.CommandId);
        Assert.Equal(afterDiscard.CommandId, (await Enqueue(instance, AgentCommandType.Publish, "guest")).CommandId);

        await Repo.CompleteAsync(instance, first.CommandId, true, null).WaitAsync(Timeout);
        Assert.NotEqual(first.CommandId, (await Enqueue(instance, AgentCommandType.Publish, "guest")).CommandId);
    }

    [SkippableFact]
    public async Task Enqueue_PastThePendingLimit_Throws_AndDoneOrExpiredCommandsDoNotCount()
    {
        var instance = Unique("i");
        var expired = await Repo.EnqueueAsync(new NewAgentCommand(instance, AgentCommandType.Enable, "old", Now.AddSeconds(-1)), 2).WaitAsync(Timeout);
        Assert.Empty(await Repo.ReadPendingAsync(instance, 0, 10).WaitAsync(Timeout));
        var first = await Enqueue(instance, AgentCommandType.Enable, "general", maxPending: 2);
        var publish = await Enqueue(instance, AgentCommandType.Publish, "guest", maxPending: 2);

        var full = await Assert.ThrowsAsync<LimitExceededException>(() => Enqueue(instance, AgentCommandType.Disable, "general", maxPending: 2)).WaitAsync(Timeout);
        Assert.Contains("2 commands pending", full.Message, StringComparison.Ordinal);
        Assert.Equal(publish.CommandId, (await Enqueue(instance, AgentCommandType.Publish, "guest", maxPending: 2)).CommandId);

        await Repo.CompleteAsync(instance, first.CommandId, true, null).WaitAsync(Timeout);
        var next = await Enqueue(instance, AgentCommandType.Disable, "general", maxPending: 2);
        Assert.Equal([publish.CommandId, next.CommandId], (await Repo.ReadPendingAsync(instance, 0, 10).WaitAsync(Timeout)).Select(c => c.CommandId));
        Assert.Null(await Repo.CompleteAsync(instance, expired.CommandId, true, null).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task Expire_EndsAPendingCommand_AndTheReaperDeletesIt()
    {
        var instance = Unique("i");
        var command = await Enqueue(instance, AgentCommandType.Publish, "guest");
        var kept = await Enqueue(instance, AgentCommandType.Enable, "general");
        await Repo.ExpireAsync(instance, command.CommandId).WaitAsync(Timeout);
        Assert.Equal([kept.CommandId], (await Repo.ReadPendingAsync(instance, 0, 10).WaitAsync(Timeout)).Select(c => c.CommandId));
        Assert.Null(await Repo.CompleteAsync(instance, command.CommandId, true, null).WaitAsync(Timeout));
        Assert.NotNull(await Repo.GetAsync(instance, command.CommandId).WaitAsync(Timeout));

        var reaped = await Repo.ReapExpiredAsync(Now.AddSeconds(1), 1000).WaitAsync(Timeout);
        Assert.True(reaped >= 1, $"reaped {reaped}");
        Assert.Null(await Repo.GetAsync(instance, command.CommandId).WaitAsync(Timeout));
        Assert.NotNull(await Repo.GetAsync(instance, kept.CommandId).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task Presence_ANewerChannelReplacesTheOld_AndALapsedLeaseIsNotConnected()
    {
        var instance = Unique("i");
        Assert.False(await Repo.IsAgentConnectedAsync(instance).WaitAsync(Timeout));
        await Repo.ConnectAgentAsync(instance, "a", Now.AddMinutes(1)).WaitAsync(Timeout);
        Assert.True(await Repo.IsAgentConnectedAsync(instance).WaitAsync(Timeout));
        Assert.True(await Repo.RenewAgentAsync(instance, "a", Now.AddMinutes(1)).WaitAsync(Timeout));

        await Repo.ConnectAgentAsync(instance, "b", Now.AddMinutes(1)).WaitAsync(Timeout);
        Assert.False(await Repo.RenewAgentAsync(instance, "a", Now.AddMinutes(1)).WaitAsync(Timeout));
        await Repo.DisconnectAgentAsync(instance, "a").WaitAsync(Timeout);
        Assert.True(await Repo.IsAgentConnectedAsync(instance).WaitAsync(Timeout));
        await Repo.DisconnectAgentAsync(instance, "b").WaitAsync(Timeout);
        Assert.False(await Repo.IsAgentConnectedAsync(instance).WaitAsync(Timeout));

        // The replica holding the channel died: nobody renewed the lease, which lapsed, and the reaper removes it.
        await Repo.ConnectAgentAsync(instance, "c", Now.AddSeconds(-1)).WaitAsync(Timeout);
        Assert.False(await Repo.IsAgentConnectedAsync(instance).WaitAsync(Timeout));
        Assert.True(await Repo.ReapExpiredAsync(Now, 1000).WaitAsync(Timeout) >= 1);
        Assert.False(await Repo.RenewAgentAsync(instance, "c", Now.AddMinutes(1)).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task QueueStream_WakesAnotherProcess_OnACommand_AResultAndANewChannel()
    {
        var instance = Unique("i");
        var key = StreamKeys.AgentCommands(instance);
        // Another container has its own in-process signals, as another replica: it finds each change by polling.
        await using var other = Fixture.BuildServices();
        var remote = other.GetRequiredService<IChangeNotifier>();
        var before = await remote.GetPositionAsync(key).WaitAsync(Timeout);

        var waiting = remote.WaitForChangeAsync(key, before, TimeSpan.FromSeconds(20));
        var command = await Enqueue(instance, AgentCommandType.Publish, "guest");
        var queued = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(command.Seq, queued!.Value.LastSequence);

        waiting = remote.WaitForChangeAsync(key, queued.Value, TimeSpan.FromSeconds(20));
        await Repo.CompleteAsync(instance, command.CommandId, true, null).WaitAsync(Timeout);
        var reported = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(queued.Value.Touches + 1, reported!.Value.Touches);

        waiting = remote.WaitForChangeAsync(key, reported.Value, TimeSpan.FromSeconds(20));
        await Repo.ConnectAgentAsync(instance, "a", Now.AddMinutes(1)).WaitAsync(Timeout);
        Assert.Equal(reported.Value.Touches + 1, (await waiting.WaitAsync(TimeSpan.FromSeconds(5)))!.Value.Touches);
    }

    private Task<AgentCommand> Enqueue(string instance, AgentCommandType type, string logName, int maxPending = Limit) =>
        Repo.EnqueueAsync(new NewAgentCommand(instance, type, logName, Now.AddMinutes(5)), maxPending).WaitAsync(Timeout);
}

public sealed class SqliteAgentCommandTests(SqliteFixture fixture) : AgentCommandContractTests<SqliteFixture>(fixture);

public sealed class SqlServerAgentCommandTests(SqlServerFixture fixture) : AgentCommandContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlAgentCommandTests(PostgreSqlFixture fixture) : AgentCommandContractTests<PostgreSqlFixture>(fixture);
