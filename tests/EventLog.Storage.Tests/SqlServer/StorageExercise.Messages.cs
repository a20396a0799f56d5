
namespace EventLog.Storage.Tests.SqlServer;

internal sealed partial class StorageExercise
{
    private async Task MessagesAsync(CancellationToken ct)
    {
        var repository = Get<IMessageRepository>();
        var id = Guid.Parse("6f1c1d9e-3a56-4b7e-9a57-0c2f3e7d8a11");
        server.SetRow("messages", new UserMessage { Id = id, Project = Project, Seq = 1, ActionCode = "A", DetailCode = "D", CreatedAt = Now });

        await Call(() => repository.CreateAsync(new NewUserMessage { Project = Project, ActionCode = "A", DetailCode = "D", IdempotencyKey = "key" }, ct));
        await Call(() => repository.GetAsync(id, ct));
        foreach (var filter in FilterShapes.Of(() => new MessageFilter()))
        {
            await Call(() => BothPagesAsync(token => repository.ListAsync(filter, 1, token, ct)));
        }

        await Call(() => repository.DeleteAsync(id, null, ct));
        await Call(() => repository.DeleteAsync(id, Project, ct));
        await Call(() => repository.ReadStreamAsync(Project, 0, 10, ct));
        await Call(() => repository.ReadStreamRowsAsync(Project, 0, 10, ct));
        await Call(() => repository.ReapExpiredAsync(Now, 10, ct));
        await Call(() => repository.PurgeAsync(new MessagePurge { CreatedBefore = Now }, ct));
        await Call(() => repository.PurgeAsync(new MessagePurge { Project = Project, ExpiredAt = Now }, ct));
        await Call(() => repository.PurgeAsync(new MessagePurge { Project = Project, CreatedBefore = Now, ExpiredAt = Now }, ct));
    }
}
