using EventLog.Rpc.Internal;

namespace EventLog.Rpc.Tests.Internal;

public class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("15u", 150L)]
    [InlineData("900n", 9L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    [InlineData("0m", 0L)]
    public void TryParse_ValidValues(string value, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    [InlineData("123456789S")]
    [InlineData(" 1S")]
    public void TryParse_InvalidValues(string? value)
    {
        Assert.False(GrpcTimeout.TryParse(value, out _));
    }

    [Theory]
    [InlineData(1L, "100n")]
    [InlineData(10_000L, "1000000n")]
    [InlineData(10_000_000L, "1000000u")]
    [InlineData(100_000_000L, "10000000u")]
    [InlineData(10_000_000_000L, "1000000m")]
    [InlineData(0L, "100n")]
    [InlineData(-5L, "100n")]
    public void Format_UsesFinestUnitThatFits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_NeverExceedsEightDigits_AndRoundTripsWithoutShortening()
    {
        foreach (var timeout in new[] { TimeSpan.FromMilliseconds(1234.5678), TimeSpan.FromDays(3), TimeSpan.FromDays(400), TimeSpan.FromDays(365 * 100), TimeSpan.MaxValue })
        {
            var text = GrpcTimeout.Format(timeout);
            Assert.InRange(text.Length, 2, 9);
            Assert.True(GrpcTimeout.TryParse(text, out var parsed), text);
            if (timeout < TimeSpan.FromHours(99_999_999))
            {
                Assert.True(parsed >= timeout, $"{text} is shorter than {timeout}");
            }
        }
    }

    [Fact]
    public void Format_DeadlineAtDateTimeMax_DoesNotOverflow()
    {
        var text = GrpcTimeout.Format(DateTime.MaxValue - DateTime.UtcNow);

        Assert.EndsWith("H", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-", text, StringComparison.Ordinal);
    }
}
