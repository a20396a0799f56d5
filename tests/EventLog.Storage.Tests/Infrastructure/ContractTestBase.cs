namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>
/// Base of the per-provider contract suites (Dapper's AsyncTests&lt;TProvider&gt; pattern). When the provider is
/// not available every test is reported skipped with the fixture's reason.
/// </summary>
public abstract class ContractTestBase<TFixture> : IClassFixture<TFixture>
    where TFixture : StorageFixture
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected ContractTestBase(TFixture fixture)
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        Fixture = fixture;
    }

    protected TFixture Fixture { get; }

    protected T Get<T>() where T : notnull => Fixture.Get<T>();

    protected static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];
}
