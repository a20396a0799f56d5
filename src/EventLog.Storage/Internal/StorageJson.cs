using System.Text.Json;

namespace EventLog.Storage.Internal;

internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
