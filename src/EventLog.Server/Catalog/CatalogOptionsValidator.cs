
namespace EventLog.Server.Catalog;

/// <summary>Fails startup with a clear message when the deployer's catalog file is missing or malformed.</summary>
internal sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DefaultLocale))
        {
            return ValidateOptionsResult.Fail("Catalog:DefaultLocale must not be empty.");
        }

        if (string.IsNullOrEmpty(options.Path))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            CatalogFile.Load(options.Path);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail($"Catalog:Path: {ex.Message}");
        }
    }
}
