using EventLog.Rpc.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EventLog.Rpc.Server.Internal;

/// <summary>
/// Ends the pipeline with UNIMPLEMENTED for a gRPC request no endpoint took (unknown service or method); any other
/// unmatched request gets the usual 404. A terminal middleware rather than a catch-all route: every call to a known
/// method would also match a <c>{service}/{method}</c> route, and routing then captures its values and weighs both
/// endpoints on every call.
/// </summary>
internal sealed class UnimplementedStartupFilter(GrpcServiceRegistry registry) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Run(RespondAsync);
    };

    private Task RespondAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpMethods.IsPost(request.Method) || !GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        var path = request.Path.Value ?? "";
        var slash = path.IndexOf('/', 1);
        var service = slash > 1 ? path[1..slash] : "";
        var known = service.Length > 0 && registry.Services.Any(s => s.FullName == service);
        var detail = known ? $"Method is unimplemented: {path}" : $"Service is unimplemented: {path}";
        ServerCallHandler.WriteTrailersOnly(httpContext, new Status(StatusCode.Unimplemented, detail), setStatusCode: true);
        return Task.CompletedTask;
    }
}
