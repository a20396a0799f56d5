using EventLog.Server.Rest;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EventLog.Server;

/// <summary>
/// Tells the operator where the server listens (the gRPC addresses, then the HTTP/JSON API's) and, in development
/// mode, the admin token.
/// </summary>
internal sealed partial class StartupAnnouncer(IServer server, TokenStore tokens, RestListener rest, IHostApplicationLifetime lifetime, ILogger<StartupAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var restAddress = rest.Address;
            LogListening(logger, string.Join(", ", addresses.Where(a => a != restAddress)));
            if (restAddress is not null)
            {
                LogRestListening(logger, restAddress, RestServiceCollectionExtensions.OpenApiPath, Viewer.ViewerEndpoints.Path + "/");
            }
            if (tokens.DevelopmentToken is not null)
            {
                LogDevelopmentToken(logger, tokens.DevelopmentToken);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "EventLog listening on {Addresses}.")]
    private static partial void LogListening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "EventLog HTTP/JSON API on {Address} (OpenAPI document at {OpenApiPath}, event viewer at {ViewerPath}).")]
    private static partial void LogRestListening(ILogger logger, string address, string openApiPath, string viewerPath);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Development mode: the admin token is {Token}. Configure Auth:Tokens and run outside the Development environment for real use.")]
    private static partial void LogDevelopmentToken(ILogger logger, string token);
}
