namespace EventLog.Rpc.Tests.TestHost;

/// <summary>The HTTP/2 paths of the test service's methods.</summary>
internal static class Paths
{
    public const string Unary = "/eventlog.rpc.tests.TestService/UnaryCall";
    public const string ServerStreaming = "/eventlog.rpc.tests.TestService/StreamingOutputCall";
    public const string ClientStreaming = "/eventlog.rpc.tests.TestService/StreamingInputCall";
    public const string Duplex = "/eventlog.rpc.tests.TestService/FullDuplexCall";
}
