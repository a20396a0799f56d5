
namespace EventLog.Server.Observability;

/// <summary>Refuses to start with a sample ratio, metrics path or collector address that cannot work.</summary>
internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.MetricsPath) && !options.MetricsPath.StartsWith('/'))
        {
            failures.Add("Observability:MetricsPath must start with '/' (or be empty to serve no metrics).");
        }
        if (options.TraceSampleRatio is < 0 or > 1 || double.IsNaN(options.TraceSampleRatio))
        {
            failures.Add($"Observability:TraceSampleRatio must be between 0 and 1, not {options.TraceSampleRatio}.");
        }
        if (options.OtlpEndpoint is { } otlp && (!otlp.IsAbsoluteUri || (otlp.Scheme != Uri.UriSchemeHttp && otlp.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"Observability:OtlpEndpoint '{otlp}' must be an http:// or https:// address (e.g. http://otel-collector:4317).");
        }
        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add("Observability:ServiceName must not be empty.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
