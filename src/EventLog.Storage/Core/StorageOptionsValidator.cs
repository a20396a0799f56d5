using Microsoft.Extensions.Options;

namespace EventLog.Storage.Core;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        const string S = StorageOptions.SectionName;
        if (!Enum.IsDefined(options.Provider))
        {
            errors.Add($"{S}:Provider '{options.Provider}' is not supported; use Sqlite, SqlServer or PostgreSql.");
        }

        if (options.Provider is StorageProvider.SqlServer or StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{S}:ConnectionString is required when {S}:Provider is {options.Provider}.");
        }

        if (options.Provider == StorageProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString)
            && (string.IsNullOrWhiteSpace(options.DataDirectory) || string.IsNullOrWhiteSpace(options.SqliteFileName)))
        {
            errors.Add($"{S}:DataDirectory and {S}:SqliteFileName must be set when no {S}:ConnectionString is given.");
        }

        if (options.ChangePollInterval <= TimeSpan.Zero || options.ChangePollInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{S}:ChangePollInterval must be between 00:00:00.001 and 00:05:00 (was {options.ChangePollInterval}).");
        }

        if (options.CommandTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{S}:CommandTimeout must be at least 1 second (was {options.CommandTimeout}).");
        }

        var r = options.Retention;
        if (r.Enabled)
        {
            if (r.ReapInterval <= TimeSpan.Zero)
            {
                errors.Add($"{S}:Retention:ReapInterval must be positive (was {r.ReapInterval}); set {S}:Retention:Enabled=false to disable reaping.");
            }

            if (r.ReapBatchSize is < 1 or > 100_000)
            {
                errors.Add($"{S}:Retention:ReapBatchSize must be between 1 and 100000 (was {r.ReapBatchSize}).");
            }

        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
