using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Contract;

public abstract class PagingContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private const string InsertRequest = """
        INSERT INTO request_log (project, occurred_at, zone, kind, user_name, client_ip, status, app, message_code, message_params)
        VALUES (@Project, @OccurredAt, @Zone, @Kind, @UserName, @ClientIp, @Status, @App, @MessageCode, @MessageParams)
        """;

    [SkippableFact]
    public async Task ListRequests_10000RowsPageSize333_ReturnsEveryRowOnceNewestFirst()
    {
        var repo = Get<ITaskLogRepository>();
        var project = Unique("p");
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        // Seeded in one transaction (the single-row write path is covered elsewhere); many rows share a
        // timestamp so the id tie-break of the keyset is exercised.
        var rows = Enumerable.Range(0, 10_000).Select(i => new RequestLogEntry
        {
            Project = project, Kind = i % 2 == 0 ? "POST" : "GET", App = "kimchi", MessageCode = "KCHVM0001I",
            Status = 200, OccurredAt = start.AddSeconds(i / 7),
        }).ToList();
        var database = Fixture.Services.GetRequiredService<StorageDatabase>();
        await database.WriteAsync(w => w.Connection.ExecuteAsync(w.Command(InsertRequest, rows)), CancellationToken.None).WaitAsync(Timeout);
        var newestId = (await repo.ListRequestsAsync(new RequestLogFilter { Project = project }, 1, null).WaitAsync(Timeout)).Items[0].Id;

        var filter = new RequestLogFilter { Project = project };
        var seen = new List<RequestLogEntry>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await repo.ListRequestsAsync(filter, 333, token).WaitAsync(Timeout);
            Assert.True(page.Items.Count == 333 || page.NextPageToken is null);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(31, pages);
        Assert.Equal(10_000, seen.Count);
        Assert.Equal(10_000, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal(newestId, seen[0].Id);
        Assert.Equal(seen.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id), seen.Select(e => e.Id));

        var firstPage = await repo.ListRequestsAsync(filter, 333, null).WaitAsync(Timeout);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() =>
            repo.ListRequestsAsync(filter with { Kind = "GET" }, 333, firstPage.NextPageToken)).WaitAsync(Timeout);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() =>
            repo.ListRequestsAsync(filter, 333, "not-a-token!")).WaitAsync(Timeout);

        var gets = new List<RequestLogEntry>();
        token = null;
        do
        {
            var page = await repo.ListRequestsAsync(filter with { Kind = "GET" }, 333, token).WaitAsync(Timeout);
            gets.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(5_000, gets.Count);
        Assert.All(gets, e => Assert.Equal("GET", e.Kind));
    }

    [SkippableFact]
    public async Task ListMessages_TokenFromOtherQuery_IsRejected()
    {
        var repo = Get<IMessageRepository>();
        var project = Unique("p");
        for (var i = 0; i < 5; i++)
        {
            await repo.CreateAsync(new NewUserMessage { Project = project, ActionCode = "A" + (i % 2), DetailCode = "D" }).WaitAsync(Timeout);
        }

        var page = await repo.ListAsync(new MessageFilter { Project = project }, 2, null).WaitAsync(Timeout);
        Assert.NotNull(page.NextPageToken);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() =>
            repo.ListAsync(new MessageFilter { Project = project, Level = MessageLevel.Error }, 2, page.NextPageToken)).WaitAsync(Timeout);
        await Assert.ThrowsAsync<InvalidPageTokenException>(() =>
            repo.ListAsync(new MessageFilter { Project = Unique("other") }, 2, page.NextPageToken)).WaitAsync(Timeout);
    }
}

public sealed class SqlitePagingTests(SqliteFixture fixture) : PagingContractTests<SqliteFixture>(fixture);

public sealed class SqlServerPagingTests(SqlServerFixture fixture) : PagingContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlPagingTests(PostgreSqlFixture fixture) : PagingContractTests<PostgreSqlFixture>(fixture);
