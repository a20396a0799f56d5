using EventLog.Client;
using Grpc.Core;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// The SDK (<see cref="EventLogClient"/>) against a peer whose error details are broken: whatever arrives in
/// <c>grpc-status-details-bin</c>, a failed call surfaces as an <see cref="EventLogException"/> with the status
/// code and message the server sent, never as a parser's exception, and a well-formed google.rpc.Status still
/// gives its reason and field violations.
/// </summary>
public sealed class MalformedResponseTests(CannedResponseServer server) : IClassFixture<CannedResponseServer>
{
    [SkippableFact]
    public async Task ValidDetails_GiveReasonDomainAndFieldViolations()
    {
        var error = await FailAsync("details-valid");

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", error.Reason);
        Assert.Equal("eventlog.v1", error.Domain);
        Assert.Equal([new FieldViolation("page_size", "must not be negative")], error.FieldViolations);
        Assert.True(error.IsInvalid);
    }

    [SkippableTheory]
    [InlineData("details-not-protobuf")]
    [InlineData("details-empty")]
    [InlineData("details-any-not-protobuf")]
    public async Task MalformedDetails_StillGiveTheStatus_WithoutReasonOrViolations(string @case)
    {
        var error = await FailAsync(@case);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(CannedResponseServer.Message, error.Message, StringComparison.Ordinal);
        Assert.Null(error.Reason);
        Assert.Empty(error.FieldViolations);
        Assert.True(error.IsInvalid);
        // A status the server raised is not a transport failure: it is not sent again.
        Assert.Equal(1, server.Requests(@case));
    }

    [SkippableFact]
    public async Task DetailsOfAnotherStatus_DoNotChangeTheCallsStatusCode()
    {
        var error = await FailAsync("details-of-another-code");

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(CannedResponseServer.Message, error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ProxyServiceUnavailable_IsRetried_ThenUnavailable()
    {
        var error = await FailAsync("http-503");

        // No gRPC status at all: the HTTP status stands for it (503 is UNAVAILABLE) and a read is worth retrying.
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(error.IsUnavailable);
        Assert.Null(error.Reason);
        Assert.Equal(3, server.Requests("http-503"));
    }

    [SkippableFact]
    public async Task DetailsThatAreNotBase64_StillFailAsAnEventLogException()
    {
        var error = await FailAsync("details-not-base64");

        // grpc-dotnet cannot read response metadata with a -bin value that is not base64, so the server's status is lost
        // and the call is INTERNAL; to the SDK that is an unreadable response, a transport failure worth retrying.
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Null(error.Reason);
        Assert.Empty(error.FieldViolations);
        Assert.Equal(3, server.Requests("details-not-base64"));
    }

    /// <summary>Reads a message through the SDK from the canned case; returns what the SDK threw.</summary>
    private async Task<EventLogException> FailAsync(string @case)
    {
        var thrown = await CallAsync(@case);
        return Assert.IsType<EventLogException>(thrown);
    }

    /// <summary>Reads a message through the SDK from the canned case; returns what the SDK threw.</summary>
    private async Task<Exception> CallAsync(string @case)
    {
        var options = new EventLogClientOptions
        {
            Address = new Uri(server.Address),
            Token = "canned-token",
            DefaultDeadline = TimeSpan.FromSeconds(10),
            Retry = new EventLogRetryOptions { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(50) },
            HttpHandler = new CaseHandler(@case) { InnerHandler = new SocketsHttpHandler { UseProxy = false } },
        };
        using var client = new EventLogClient(options);
        try
        {
            var message = await client.Messages.GetMessageAsync(Guid.NewGuid().ToString()).WithTimeout();
            throw new Xunit.Sdk.XunitException($"{@case}: the call succeeded with {message}");
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return ex;
        }
        finally
        {
            options.HttpHandler.Dispose();
        }
    }

    /// <summary>Names the canned case on every request of the SDK's channel.</summary>
    private sealed class CaseHandler(string @case) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(CannedResponseServer.CaseHeader, @case);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
