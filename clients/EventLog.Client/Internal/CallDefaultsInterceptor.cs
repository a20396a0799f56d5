using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EventLog.Client.Internal;

/// <summary>
/// Gives every call of the client, the SDK's own and those made through <see cref="EventLogClient.CallInvoker"/>,
/// the bearer token as call credentials and the request compression the options ask for.
/// </summary>
internal sealed class CallDefaultsInterceptor : Interceptor
{
    /// <summary>grpc-dotnet compresses a call's request messages with the encoding this header names.</summary>
    private const string RequestEncodingHeader = "grpc-internal-encoding-request";

    private readonly CallCredentials? _credentials;
    private readonly string? _encoding;

    public CallDefaultsInterceptor(string? token, EventLogCompression compression)
    {
        if (!string.IsNullOrEmpty(token))
        {
            var value = "Bearer " + token;
            _credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", value);
                return Task.CompletedTask;
            });
        }
        _encoding = compression == EventLogCompression.Gzip ? "gzip" : null;
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, With(context));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, With(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, With(context));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(With(context));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(With(context));

    private ClientInterceptorContext<TRequest, TResponse> With<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var options = context.Options;
        if (_credentials is not null && options.Credentials is null)
        {
            options = options.WithCredentials(_credentials);
        }
        if (_encoding is not null && options.Headers?.Get(RequestEncodingHeader) is null)
        {
            var headers = new Metadata();
            foreach (var entry in options.Headers ?? [])
            {
                headers.Add(entry);
            }
            headers.Add(RequestEncodingHeader, _encoding);
            options = options.WithHeaders(headers);
        }
        return ReferenceEquals(options.Headers, context.Options.Headers) && options.Credentials == context.Options.Credentials
            ? context
            : new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options);
    }
}
