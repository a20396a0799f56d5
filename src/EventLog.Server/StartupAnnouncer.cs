using EventLog.Server.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EventLog.Server;

/// <summary>Tells the operator where the server listens and, in development mode, the admin token.</summary>
internal sealed partial class StartupAnnouncer(IServer server, TokenStore tokens, IHostApplicationLifetime lifetime, ILogger<StartupAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogListening(logger, string.Join(", ", addresses));
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

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Development mode: the admin token is {Token}. Configure Auth:Tokens and run outside the Development environment for real use.")]
    private static partial void LogDevelopmentToken(ILogger logger, string token);
}
