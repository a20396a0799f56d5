
namespace EventLog.Server.Limits;

/// <summary>Refuses to start with limits that would reject every call or make no sense.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConcurrentStreamsPerPrincipal < 0)
        {
            failures.Add("Limits:MaxConcurrentStreamsPerPrincipal must be 0 (no limit) or positive.");
        }
        if (options.WritesPerSecondPerPrincipal < 0 || double.IsNaN(options.WritesPerSecondPerPrincipal) || double.IsInfinity(options.WritesPerSecondPerPrincipal))
        {
            failures.Add("Limits:WritesPerSecondPerPrincipal must be 0 (no limit) or a positive number.");
        }
        if (options.WritesPerSecondPerPrincipal > 0 && options.WriteBurstPerPrincipal < 1)
        {
            failures.Add("Limits:WriteBurstPerPrincipal must be at least 1 when a write rate is set.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
