

namespace EventLog.Storage.Tests.Internal;

public sealed class ListQueryTests
{
    [Theory]
    [InlineData("/a", "/b")]
    [InlineData("/vms/\uFFFF", "/vms/\U00010000")]
    [InlineData("/vms/\U0001F600", "/vms/\U0001F601")]
    [InlineData("x\uD7FF", "x\uE000")]
    [InlineData("ab\U0010FFFF", "ac")]
    [InlineData("a\U0010FFFF\U0010FFFF", "b")]
    public void UpperBound_IncrementsTheLastCodePoint(string prefix, string expected)
    {
        Assert.Equal(expected, ListQuery.UpperBound(prefix));
    }

    [Fact]
    public void UpperBound_OnlyMaximalCodePoints_HasNone()
    {
        Assert.Null(ListQuery.UpperBound("\U0010FFFF\U0010FFFF"));
    }

    [Fact]
    public void UpperBound_SortsAboveEveryExtensionInUtf8ByteOrder()
    {
        // SQLite's BINARY collation is memcmp over UTF-8; check the bound the way SQLite compares.
        static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);
        foreach (var prefix in new[] { "/vms/", "/vms/\uFFFF", "p\U0001F600", "\uD7FF" })
        {
            var end = Utf8(ListQuery.UpperBound(prefix)!);
            foreach (var tail in new[] { "", "a", "\uFFFF", "\U0001F600", "\U0010FFFF\U0010FFFF" })
            {
                Assert.True(Utf8(prefix + tail).AsSpan().SequenceCompareTo(end) < 0, $"{prefix}+{tail}");
            }
        }
    }
}
