using Google.Protobuf.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi.Models;

namespace EventLog.Server.Rest;

/// <summary>The HTTP/JSON face of the four services: gRPC JSON transcoding of their google.api.http rules, and its OpenAPI document.</summary>
public static class RestServiceCollectionExtensions
{
    /// <summary>Where the OpenAPI document is served (no token needed: it only describes the API).</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>The detail types an error's <c>google.rpc.Status</c> may carry (ErrorInfo, BadRequest, RetryInfo...).</summary>
    internal static TypeRegistry ErrorDetailTypes { get; } = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);

    /// <summary>
    /// Transcodes the annotated RPCs. The calls run the same interceptors (auth, limits, logs) as gRPC calls, and an
    /// error's body is its <c>google.rpc.Status</c> with the details the gRPC call carries in
    /// <c>grpc-status-details-bin</c>, packed in <c>Any</c>: the registry lets them be written as JSON.
    /// The OpenAPI document comes from Microsoft.AspNetCore.Grpc.Swagger, which describes transcoded routes and
    /// protobuf messages (ASP.NET Core's own OpenAPI generator sees neither), with the proto comments as descriptions.
    /// </summary>
    public static IServiceCollection AddEventLogRest(this IServiceCollection services)
    {
        services.TryAddSingleton<RestListener>();
        services.AddGrpc().AddJsonTranscoding(transcoding => transcoding.TypeRegistry = ErrorDetailTypes);
        services.AddGrpcSwagger();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "EventLog",
                Version = "v1",
                Description = "The HTTP/JSON face of the EventLog gRPC services. Every call needs 'Authorization: Bearer <token>'; "
                    + "an error's body is a google.rpc.Status whose details hold an ErrorInfo and, for bad input, a BadRequest naming the field.",
            });
            var bearer = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An EventLog token." };
            swagger.AddSecurityDefinition("bearer", bearer);
            swagger.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" } }] = [],
            });
            var comments = Path.Combine(AppContext.BaseDirectory, "EventLog.Contracts.xml");
            if (File.Exists(comments))
            {
                swagger.IncludeXmlComments(comments);
                swagger.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }
        });
        // Both AddGrpc() above and AddGrpcSwagger() bring grpc-dotnet's binder back.
        Hosting.GrpcHostingServiceCollectionExtensions.UseStrictBinder(services);
        return services;
    }

    /// <summary>
    /// Checks the path and query of HTTP/JSON calls before they are transcoded, and serves the OpenAPI document. It runs
    /// on the branch of the pipeline that gRPC calls skip (<see cref="ServerServiceCollectionExtensions.MapEventLogServices"/>).
    /// </summary>
    public static IApplicationBuilder UseEventLogRest(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RestRequestCheckMiddleware>();
        // Only requests for the document pass Swashbuckle's middleware; other calls do not pay for its template match.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/openapi", StringComparison.Ordinal), openApi =>
            openApi.UseSwagger(swagger => swagger.RouteTemplate = OpenApiPath.TrimStart('/').Replace("v1", "{documentName}", StringComparison.Ordinal)));
        return app;
    }
}
