using Google.Protobuf.Reflection;

namespace EventLog.Server.Rest;

/// <summary>The HTTP/JSON face of the four services: gRPC JSON transcoding of their google.api.http rules.</summary>
public static class RestServiceCollectionExtensions
{
    /// <summary>The detail types an error's <c>google.rpc.Status</c> may carry (ErrorInfo, BadRequest, RetryInfo...).</summary>
    internal static TypeRegistry ErrorDetailTypes { get; } = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);

    /// <summary>
    /// Transcodes the annotated RPCs. The calls run the same interceptors (auth, limits, logs) as gRPC calls, and an
    /// error's body is its <c>google.rpc.Status</c> with the details the gRPC call carries in
    /// <c>grpc-status-details-bin</c>, packed in <c>Any</c>: the registry lets them be written as JSON.
    /// </summary>
    public static IServiceCollection AddEventLogRest(this IServiceCollection services)
    {
        services.AddGrpc().AddJsonTranscoding(transcoding => transcoding.TypeRegistry = ErrorDetailTypes);
        return services;
    }

    /// <summary>Checks the path and query of HTTP/JSON calls before they are transcoded.</summary>
    public static WebApplication MapEventLogRest(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RestRequestCheckMiddleware>();
        return app;
    }
}
