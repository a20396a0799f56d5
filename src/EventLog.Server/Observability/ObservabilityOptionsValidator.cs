using Microsoft.Extensions.Options;

namespace EventLog.Server.Observability;

/// <summary>Refuses to start with a metrics address the listener could not bind.</summary>
internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.MetricsUrl) && !(Infrastructure.ListenUrl.TryParse(options.MetricsUrl, out var url) && !url.Https))
        {
            failures.Add($"Observability:MetricsUrl '{options.MetricsUrl}' must be http://host:port with host an IP address, localhost or * (e.g. http://127.0.0.1:9464).");
        }
        if (!options.MetricsPath.StartsWith('/'))
        {
            failures.Add("Observability:MetricsPath must start with '/'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
