using Grpc.Core;

namespace EventLog.Rpc.Tests.Core;

public class MetadataTests
{
    [Fact]
    public void Keys_AreLowerCasedAndLookedUpCaseInsensitively()
    {
        var metadata = new Metadata { { "X-Request-Id", "abc" } };

        Assert.Equal("x-request-id", metadata[0].Key);
        Assert.Equal("abc", metadata.GetValue("X-REQUEST-ID"));
    }

    [Fact]
    public void BinaryKeys_NeedBytes_AndTextKeysNeedText()
    {
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("data-bin", "text"));
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("data", [1, 2]));
        Assert.True(new Metadata.Entry("data-bin", [1, 2]).IsBinary);
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("bad:key")]
    [InlineData("")]
    [InlineData("ünicode")]
    public void InvalidKeys_AreRejected(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Metadata.Entry(key, "v"));
    }

    [Fact]
    public void TextValues_MustBePrintableAscii()
    {
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("k", "line\nbreak"));
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("k", "caf\u00e9"));
        Assert.Equal(" ~", new Metadata.Entry("k", " ~").Value);
    }

    [Fact]
    public void Get_ReturnsLastEntry_GetAllReturnsAllInOrder()
    {
        var metadata = new Metadata { { "k", "1" }, { "other", "x" }, { "k", "2" } };

        Assert.Equal("2", metadata.GetValue("k"));
        Assert.Equal(["1", "2"], metadata.GetAll("k").Select(e => e.Value));
        Assert.Null(metadata.Get("missing"));
    }

    [Fact]
    public void ValueBytes_IsACopy()
    {
        var entry = new Metadata.Entry("k-bin", [1, 2, 3]);

        entry.ValueBytes[0] = 9;

        Assert.Equal(1, entry.ValueBytes[0]);
    }

    [Fact]
    public void Empty_IsReadOnly()
    {
        Assert.True(Metadata.Empty.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => Metadata.Empty.Add("k", "v"));
    }

    [Fact]
    public void TextEntry_ValueBytes_AreAscii_BinaryEntry_HasNoTextValue()
    {
        Assert.Equal("ab"u8.ToArray(), new Metadata.Entry("k", "ab").ValueBytes);
        Assert.Throws<InvalidOperationException>(() => new Metadata.Entry("k-bin", [1]).Value);
    }

    [Fact]
    public void EmptyInstances_ShareNothingOnceWritten()
    {
        var first = new Metadata();
        var second = new Metadata();
        var third = new Metadata();

        first.Add("a", "1");
        second.Insert(0, new Metadata.Entry("b", "2"));
        third.Clear();
        Assert.False(third.Remove(new Metadata.Entry("a", "1")));
        Assert.Throws<ArgumentOutOfRangeException>(() => third.RemoveAt(0));

        Assert.Equal(["a=1"], first.Select(e => $"{e.Key}={e.Value}"));
        Assert.Equal(["b=2"], second.Select(e => $"{e.Key}={e.Value}"));
        Assert.Empty(third);
        Assert.Empty(new Metadata());
    }
}
