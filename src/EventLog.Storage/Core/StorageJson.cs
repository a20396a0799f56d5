using System.Text.Json;

namespace EventLog.Storage.Core;

internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
