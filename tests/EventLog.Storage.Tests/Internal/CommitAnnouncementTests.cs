using System.Text;
using EventLog.Storage.PostgreSql;

namespace EventLog.Storage.Tests.Internal;

public sealed class CommitAnnouncementTests
{
    [Fact]
    public void Encode_LongKeys_SplitsBelowTheNotifyLimit_AndEveryStreamRoundTrips()
    {
        // 40 keys of about 560 UTF-8 bytes each cannot share one payload under PostgreSQL's 8000-byte limit.
        var streams = Enumerable.Range(0, 40).ToDictionary(i => $"task-lines:{new string('\u00e9', 280)}{i}", i => (long)i);

        var payloads = CommitAnnouncement.Encode("me", streams);

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.InRange(Encoding.UTF8.GetByteCount(p), 1, 7999));
        var decoded = payloads.Select(p => CommitAnnouncement.TryDecode(p)!).ToList();
        Assert.All(decoded, a => Assert.Equal("me", a.From));
        Assert.Equal(streams.OrderBy(s => s.Key), decoded.SelectMany(a => a.Streams).OrderBy(s => s.Key));
    }

    [Fact]
    public void Encode_FewStreams_OnePayload()
    {
        var payloads = CommitAnnouncement.Encode("me", new Dictionary<string, long> { ["messages:p"] = 7, ["task-state:1"] = 0 });

        var announcement = CommitAnnouncement.TryDecode(Assert.Single(payloads));
        Assert.NotNull(announcement);
        Assert.Equal(7, announcement.Streams["messages:p"]);
        Assert.Equal(0, announcement.Streams["task-state:1"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"From\":\"x\"}")]
    public void TryDecode_AnotherProgramsPayload_IsNull(string payload) => Assert.Null(CommitAnnouncement.TryDecode(payload));
}
