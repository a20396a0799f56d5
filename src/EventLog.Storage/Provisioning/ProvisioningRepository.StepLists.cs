using System.Globalization;
using System.Text.Json;
using EventLog.Storage.Core;

namespace EventLog.Storage.Provisioning;

internal sealed partial class ProvisioningRepository
{
    private const string SelectStepList = """
        SELECT steps FROM prov_step_lists {0} WHERE project = @project AND plugin = @plugin AND step_type = @stepType
        """;

    private const string InsertStepList = """
        INSERT INTO prov_step_lists (project, plugin, step_type, steps, created_at)
        VALUES (@project, @plugin, @stepType, @steps, @createdAt)
        """;

    public Task<StepListRegistration> RegisterStepListAsync(string project, string plugin, ProvisioningStepType stepType, IReadOnlyList<PlannedStep> steps, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            // The key range stays locked to commit, so of two registrations racing for one key the second reads the first's list.
            var sql = string.Format(CultureInfo.InvariantCulture, SelectStepList, w.Dialect.LockKeyRange);
            var key = new { project, plugin, stepType };
            if (await w.SingleOrDefaultAsync<string>(sql, key) is { } json)
            {
                var registered = ParseSteps(json);
                return registered.SequenceEqual(steps)
                    ? new StepListRegistration(registered, Created: false)
                    : throw new ConflictException(
                        $"Plugin '{plugin}' already registered a different {stepType.ToString().ToLowerInvariant()} step list; a registered list does not change.");
            }

            await w.ExecuteAsync(InsertStepList, new { project, plugin, stepType, steps = JsonSerializer.Serialize(steps, StorageJson.Options), createdAt = Now });
            return new StepListRegistration(steps, Created: true);
        }, cancellationToken);

    public async Task<IReadOnlyList<PlannedStep>?> GetStepListAsync(string project, string plugin, ProvisioningStepType stepType, CancellationToken cancellationToken = default)
    {
        var sql = string.Format(CultureInfo.InvariantCulture, SelectStepList, "");
        var json = await database.QuerySingleOrDefaultAsync<string>(sql, new { project, plugin, stepType }, cancellationToken);
        return json is null ? null : ParseSteps(json);
    }

    private static List<PlannedStep> ParseSteps(string json) =>
        JsonSerializer.Deserialize<List<PlannedStep>>(json, StorageJson.Options) ?? [];
}
