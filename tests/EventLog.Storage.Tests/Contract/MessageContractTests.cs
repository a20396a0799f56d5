using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Contract;

public abstract class MessageContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private IMessageRepository Repo => Get<IMessageRepository>();

    [SkippableFact]
    public async Task Create_Get_Delete_RoundTripsEveryField()
    {
        var project = Unique("p");
        var created = await Repo.CreateAsync(new NewUserMessage
        {
            Project = project, RequestId = "req-abc", ActionCode = "001", DetailCode = "002", Level = MessageLevel.Warning,
            ResourceType = "VOLUME", ResourceUuid = "f00d", Host = "BS-cind1", UserName = "alice",
        }).WaitAsync(Timeout);
        Assert.Equal("alice", created.UserName);
        Assert.Equal(1, created.Seq);
        Assert.NotNull(created.ExpiresAt);
        Assert.Equal(TimeSpan.FromDays(30), created.ExpiresAt!.Value - created.CreatedAt);

        var read = await Repo.GetAsync(created.Id).WaitAsync(Timeout);
        Assert.Equal(created, read);
        Assert.Equal(DateTimeKind.Utc, read!.CreatedAt.Kind);

        Assert.False(await Repo.DeleteAsync(created.Id, "other-project").WaitAsync(Timeout));
        Assert.True(await Repo.DeleteAsync(created.Id, project).WaitAsync(Timeout));
        Assert.Null(await Repo.GetAsync(created.Id).WaitAsync(Timeout));
        Assert.False(await Repo.DeleteAsync(created.Id, project).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task List_FiltersNewestFirst()
    {
        var project = Unique("p");
        var m1 = await Create(project, "VOLUME", "u1", "001", "010", MessageLevel.Error, "r1");
        var m2 = await Create(project, "VOLUME", "u2", "002", "010", MessageLevel.Warning, "r2");
        var m3 = await Create(project, "SNAPSHOT", "u3", "001", "020", MessageLevel.Error, "r1");
        await Create(Unique("other"), "VOLUME", "u1", "001", "010", MessageLevel.Error, "r1");

        async Task<Guid[]> Ids(MessageFilter f) => (await Repo.ListAsync(f, 50, null).WaitAsync(Timeout)).Items.Select(m => m.Id).ToArray();
        Assert.Equal([m3.Id, m2.Id, m1.Id], await Ids(new MessageFilter { Project = project }));
        Assert.Equal([m2.Id, m1.Id], await Ids(new MessageFilter { Project = project, ResourceType = "VOLUME" }));
        Assert.Equal([m1.Id], await Ids(new MessageFilter { Project = project, ResourceType = "VOLUME", ResourceUuid = "u1" }));
        Assert.Equal([m3.Id, m1.Id], await Ids(new MessageFilter { Project = project, ActionCode = "001" }));
        Assert.Equal([m3.Id], await Ids(new MessageFilter { Project = project, DetailCode = "020" }));
        Assert.Equal([m3.Id, m1.Id], await Ids(new MessageFilter { Project = project, RequestId = "r1" }));
        Assert.Equal([m2.Id], await Ids(new MessageFilter { Project = project, Level = MessageLevel.Warning }));
        Assert.Equal([m3.Id, m2.Id], await Ids(new MessageFilter { Project = project, From = m2.CreatedAt }));
        Assert.Equal([m1.Id], await Ids(new MessageFilter { Project = project, To = m2.CreatedAt }));
    }

    [SkippableFact]
    public async Task List_FiltersByHostAndUser_InOneProjectAndAcrossProjects()
    {
        var (p1, p2, host, user) = (Unique("p"), Unique("p"), Unique("node"), Unique("user"));
        var a = await Repo.CreateAsync(new NewUserMessage { Project = p1, ActionCode = "001", DetailCode = "010", Host = host, UserName = user }).WaitAsync(Timeout);
        var b = await Repo.CreateAsync(new NewUserMessage { Project = p1, ActionCode = "001", DetailCode = "010", Host = host }).WaitAsync(Timeout);
        var c = await Repo.CreateAsync(new NewUserMessage { Project = p1, ActionCode = "001", DetailCode = "010", Host = "elsewhere", UserName = user }).WaitAsync(Timeout);
        var d = await Repo.CreateAsync(new NewUserMessage { Project = p2, ActionCode = "001", DetailCode = "010", Host = host, UserName = user }).WaitAsync(Timeout);

        async Task<Guid[]> Ids(MessageFilter f) => (await Repo.ListAsync(f, 50, null).WaitAsync(Timeout)).Items.Select(m => m.Id).ToArray();
        Assert.Equal([b.Id, a.Id], await Ids(new MessageFilter { Project = p1, Host = host }));
        Assert.Equal([c.Id, a.Id], await Ids(new MessageFilter { Project = p1, UserName = user }));
        Assert.Equal([a.Id], await Ids(new MessageFilter { Project = p1, Host = host, UserName = user }));
        // Project null lists every project (the admin view).
        Assert.Equal([d.Id, a.Id], await Ids(new MessageFilter { Host = host, UserName = user }));
    }

    [SkippableFact]
    public async Task Purge_ByAgeOrExpiry_DeletesInBatchesAndOnlyTheSelectedProject()
    {
        // Batches of 2 make a purge of 5 take three rounds (2, 2, 1).
        await using var services = Fixture.BuildServices(o => o.Retention.ReapBatchSize = 2);
        var repo = services.GetRequiredService<IMessageRepository>();
        var (project, other) = (Unique("p"), Unique("p"));
        var old = new List<UserMessage>();
        for (var i = 0; i < 5; i++)
        {
            old.Add(await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "001", DetailCode = "010" }).WaitAsync(Timeout));
        }
        var otherOld = await repo.CreateAsync(new NewUserMessage { Project = other, ActionCode = "001", DetailCode = "010" }).WaitAsync(Timeout);
        var kept = await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "001", DetailCode = "010" }).WaitAsync(Timeout);

        Assert.Equal(5, await repo.PurgeAsync(new MessagePurge { Project = project, CreatedBefore = kept.CreatedAt }).WaitAsync(Timeout));
        foreach (var m in old)
        {
            Assert.Null(await repo.GetAsync(m.Id).WaitAsync(Timeout));
        }
        Assert.NotNull(await repo.GetAsync(kept.Id).WaitAsync(Timeout));
        Assert.NotNull(await repo.GetAsync(otherOld.Id).WaitAsync(Timeout));

        var expiring = await repo.CreateAsync(new NewUserMessage { Project = other, ActionCode = "001", DetailCode = "010", Ttl = TimeSpan.FromMilliseconds(1) }).WaitAsync(Timeout);
        var now = expiring.ExpiresAt!.Value.AddSeconds(1);
        Assert.Equal(1, await repo.PurgeAsync(new MessagePurge { ExpiredAt = now }).WaitAsync(Timeout));
        Assert.Null(await repo.GetAsync(expiring.Id).WaitAsync(Timeout));
        Assert.NotNull(await repo.GetAsync(otherOld.Id).WaitAsync(Timeout));

        // Both conditions: a message matching either goes. The cutoff is 1 µs after otherOld, the finest time
        // PostgreSQL stores (a tick would be rounded away and the cutoff would equal its time).
        var expiring2 = await repo.CreateAsync(new NewUserMessage { Project = other, ActionCode = "001", DetailCode = "010", Ttl = TimeSpan.FromMilliseconds(1) }).WaitAsync(Timeout);
        var fresh = await repo.CreateAsync(new NewUserMessage { Project = other, ActionCode = "001", DetailCode = "010" }).WaitAsync(Timeout);
        var purge = new MessagePurge { Project = other, CreatedBefore = otherOld.CreatedAt.AddTicks(10), ExpiredAt = expiring2.ExpiresAt!.Value.AddSeconds(1) };
        Assert.Equal(2, await repo.PurgeAsync(purge).WaitAsync(Timeout));
        Assert.Null(await repo.GetAsync(otherOld.Id).WaitAsync(Timeout));
        Assert.Null(await repo.GetAsync(expiring2.Id).WaitAsync(Timeout));
        Assert.NotNull(await repo.GetAsync(fresh.Id).WaitAsync(Timeout));
        Assert.NotNull(await repo.GetAsync(kept.Id).WaitAsync(Timeout));
    }

    [SkippableFact]
    public async Task ReadStream_AfterSequence_ReturnsLaterMessagesInOrder()
    {
        var project = Unique("p");
        var created = new List<UserMessage>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await Create(project, "VOLUME", "u", "001", "010", MessageLevel.Error, null));
        }

        var batch = await Repo.ReadStreamAsync(project, 2, 10).WaitAsync(Timeout);
        Assert.Equal([3L, 4L, 5L], batch.Items.Select(m => m.Seq));
        Assert.Equal(created.Skip(2).Select(m => m.Id), batch.Items.Select(m => m.Id));
        Assert.Equal(1, batch.OldestAvailableSequence);
        // The watcher's read (no oldest-row lookup) returns the same rows.
        Assert.Equal(batch.Items.Select(m => (m.Id, m.Seq)), (await Repo.ReadStreamRowsAsync(project, 2, 10).WaitAsync(Timeout)).Select(m => (m.Id, m.Seq)));
        Assert.Equal([5L], (await Repo.ReadStreamRowsAsync(project, 4, 10).WaitAsync(Timeout)).Select(m => m.Seq));
    }

    private Task<UserMessage> Create(string project, string type, string uuid, string action, string detail, MessageLevel level, string? requestId) =>
        Repo.CreateAsync(new NewUserMessage
        {
            Project = project, ResourceType = type, ResourceUuid = uuid, ActionCode = action, DetailCode = detail, Level = level, RequestId = requestId,
        }).WaitAsync(Timeout);
}

public sealed class SqliteMessageTests(SqliteFixture fixture) : MessageContractTests<SqliteFixture>(fixture);

public sealed class SqlServerMessageTests(SqlServerFixture fixture) : MessageContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlMessageTests(PostgreSqlFixture fixture) : MessageContractTests<PostgreSqlFixture>(fixture);
