namespace EventLog.Rpc.Tests.TestHost;

/// <summary>Every await in a test is bounded, so a hang fails the test instead of stalling the run.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);
}
