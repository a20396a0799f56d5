
namespace EventLog.Server.Services.Provisioning;

/// <summary>Checks <see cref="ProvisioningOptions"/> at startup.</summary>
internal sealed class ProvisioningOptionsValidator : IValidateOptions<ProvisioningOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvisioningOptions options)
    {
        List<string> failures = [];
        if (options.StallAfter <= TimeSpan.Zero)
        {
            failures.Add($"Provisioning:StallAfter must be positive (was {options.StallAfter}).");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"Provisioning:HeartbeatInterval must be positive (was {options.HeartbeatInterval}).");
        }

        if (options.MaxPlanSteps <= 0 || options.MaxEventsPerBatch <= 0 || options.WatchBatchSize <= 0)
        {
            failures.Add("Provisioning:MaxPlanSteps, MaxEventsPerBatch and WatchBatchSize must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
