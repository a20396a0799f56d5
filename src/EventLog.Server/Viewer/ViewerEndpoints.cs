using System.Reflection;
using Microsoft.Extensions.FileProviders;

namespace EventLog.Server.Viewer;

/// <summary>
/// The browser event viewer: its static files (embedded in the server, so it needs nothing beside the binary) under
/// <c>/viewer/</c>, and <c>GET /v1/caller</c>, which tells the page who a token belongs to. Everything else the page
/// shows comes from the REST/JSON face of the four services.
/// </summary>
public static class ViewerEndpoints
{
    /// <summary>Where the viewer is served.</summary>
    public const string Path = "/viewer";

    /// <summary>
    /// Serves the viewer's files. <c>/viewer</c> without the slash is redirected by the default-files middleware (an
    /// endpoint there would hide the files from it). It runs on the branch of the pipeline that gRPC calls skip
    /// (<see cref="ServerServiceCollectionExtensions.MapEventLogServices"/>).
    /// </summary>
    public static IApplicationBuilder UseEventLogViewer(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new EmbeddedFileProvider(typeof(ViewerEndpoints).Assembly, "EventLog.Server.Viewer.Assets");
        // Only requests under /viewer pass the file middleware.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path, StringComparison.Ordinal), viewer =>
        {
            viewer.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
            viewer.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                RequestPath = Path,
                // The files change with the server; a browser checks them again (ETag) instead of keeping old ones.
                OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
            });
        });
        return app;
    }

    /// <summary>Maps a redirect from <c>/</c> to the viewer and the caller endpoint.</summary>
    public static WebApplication MapEventLogViewer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", () => Results.Redirect(Path + "/")).ExcludeFromDescription();
        app.MapGet("/v1/caller", Caller).ExcludeFromDescription();
        return app;
    }

    // 401 with a google.rpc.Status body, as the transcoded calls answer a bad token.
    private static IResult Caller(HttpRequest request, TokenStore tokens)
    {
        var principal = TokenStore.TryReadBearer(request.Headers.Authorization, out var token) ? tokens.Find(token) : null;
        if (principal is null)
        {
            return Results.Json(new { code = (int)Grpc.Core.StatusCode.Unauthenticated, message = "The bearer token is not valid.", details = Array.Empty<object>() },
                statusCode: StatusCodes.Status401Unauthorized);
        }
        var roles = Enum.GetValues<Roles>().Where(r => r != Roles.None && principal.Roles.HasFlag(r)).Select(r => r.ToString().ToLowerInvariant());
        return Results.Json(new { name = principal.Name, project = principal.Project, roles, admin = principal.IsAdmin });
    }
}
