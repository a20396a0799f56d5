using System.Net;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;

namespace EventLog.Server.Tests.Rest;

/// <summary>
/// Calls of the HTTP/JSON API over a real HTTP/1.1 connection, read back with protobuf's own JSON parser: a body that
/// is not the proto3 JSON of the expected message (or of a google.rpc.Status, for errors) fails the test.
/// </summary>
internal static class RestCalls
{
    /// <summary>The path of project A, under which the test principals' resources live.</summary>
    public const string ProjectA = "/v1/projects/" + TestTokens.ProjectA;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default
        .WithTypeRegistry(TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/>, asserts 200 with a JSON body and parses it as <typeparamref name="T"/>.</summary>
    public static async Task<T> CallAsync<T>(this HttpClient client, HttpMethod method, string path)
        where T : IMessage<T>, new()
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path)).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.True(response.Headers.Contains("x-request-id"), $"{method} {path}: no x-request-id header");
        return Parser.Parse<T>(body);
    }

    /// <summary>GET <paramref name="path"/> as <see cref="CallAsync{T}"/>.</summary>
    public static Task<T> GetAsync<T>(this HttpClient client, string path)
        where T : IMessage<T>, new() => client.CallAsync<T>(HttpMethod.Get, path);

    /// <summary>
    /// Sends the request and asserts the HTTP status and a google.rpc.Status body with <paramref name="code"/>, an
    /// ErrorInfo of EventLog's domain with <paramref name="reason"/>, and, when <paramref name="field"/> is given, a
    /// BadRequest naming it. Returns the status.
    /// </summary>
    public static async Task<Google.Rpc.Status> FailsAsync(this HttpClient client, HttpMethod method, string path, HttpStatusCode http, StatusCode code, string reason, string? field = null)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path)).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.StatusCode == http, $"{method} {path}: expected {(int)http}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = Parser.Parse<Google.Rpc.Status>(body);
        Assert.Equal((int)code, status.Code);
        Assert.False(string.IsNullOrEmpty(status.Message), body);
        var info = status.GetDetail<ErrorInfo>();
        Assert.True(info is not null, $"no ErrorInfo in {body}");
        Assert.Equal((reason, "eventlog.v1"), (info.Reason, info.Domain));
        if (field is not null)
        {
            var badRequest = status.GetDetail<BadRequest>();
            Assert.True(badRequest is not null, $"no BadRequest in {body}");
            Assert.Equal(field, Assert.Single(badRequest.FieldViolations).Field);
            Assert.StartsWith(field + ": ", status.Message, StringComparison.Ordinal);
        }
        return status;
    }

    /// <summary>
    /// Opens a streamed GET and yields each newline-delimited JSON message as <typeparamref name="T"/> as it arrives;
    /// a line that takes longer than <see cref="TestTimeouts.Default"/> fails. Leaving the loop cancels the request.
    /// </summary>
    public static async IAsyncEnumerable<T> StreamAsync<T>(this HttpClient client, string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : IMessage<T>, new()
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, cancellationToken).WithTimeout();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            // Only a failed call's body is read whole: a stream's body lasts as long as the stream.
            Assert.Fail($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).WithTimeout()}");
        }
        Assert.Equal(HttpVersion.Version11, response.Version);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).WithTimeout());
        while (true)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TestTimeouts.Default);
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                yield break;
            }
            if (line.Length > 0)
            {
                yield return Parser.Parse<T>(line);
            }
        }
    }
}
