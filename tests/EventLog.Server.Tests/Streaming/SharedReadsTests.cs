using EventLog.Server.Infrastructure;

namespace EventLog.Server.Tests.Streaming;

/// <summary>Followers at the same place share a read only when it covers everything they know committed.</summary>
public sealed class SharedReadsTests
{
    private readonly SharedReads<long> _reads = new();
    private int _made;

    [Fact]
    public async Task SamePosition_KnowingNoMore_SharesTheRead()
    {
        var first = _reads.ReadAsync("s", after: 4, known: 6, Read(5, 6));
        var second = _reads.ReadAsync("s", after: 4, known: 5, Read(5));
        Assert.Same(first, second);
        Assert.Equal([5L, 6L], await second);
        Assert.Equal(1, _made);
    }

    [Fact]
    public async Task CallerKnowingMoreCommitted_ReadsAnew()
    {
        await _reads.ReadAsync("s", after: 4, known: 5, Read(5));
        Assert.Equal([5L, 6L], await _reads.ReadAsync("s", after: 4, known: 6, Read(5, 6)));
        Assert.Equal(2, _made);
    }

    [Fact]
    public async Task OtherPositionOrStream_ReadsAnew()
    {
        await _reads.ReadAsync("s", after: 4, known: 6, Read(5, 6));
        await _reads.ReadAsync("s", after: 5, known: 6, Read(6));
        await _reads.ReadAsync("t", after: 5, known: 6, Read(6));
        Assert.Equal(3, _made);
    }

    [Fact]
    public async Task FailedRead_IsNotShared()
    {
        var failed = _reads.ReadAsync("s", after: 0, known: 1, () => { _made++; return Task.FromException<IReadOnlyList<long>>(new TimeoutException()); });
        await Assert.ThrowsAsync<TimeoutException>(() => failed);
        Assert.Equal([1L], await _reads.ReadAsync("s", after: 0, known: 1, Read(1)));
        Assert.Equal(2, _made);
    }

    [Fact]
    public async Task OldRead_IsNotShared()
    {
        await _reads.ReadAsync("s", after: 0, known: 1, Read(1));
        // Rows may have been deleted since an old read; half a second is the most a read is shared for.
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        await _reads.ReadAsync("s", after: 0, known: 1, Read(1));
        Assert.Equal(2, _made);
    }

    private Func<Task<IReadOnlyList<long>>> Read(params long[] rows) => () =>
    {
        _made++;
        return Task.FromResult<IReadOnlyList<long>>(rows);
    };
}
