namespace EventLog.Server.Infrastructure;

/// <summary>Page size rules shared by every list RPC: 0 asks for the default, the maximum is the same for all.</summary>
public static class Paging
{
    /// <summary>The page size used when a request asks for 0.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page size a request may ask for.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>0 gives the default, negative or above the maximum is INVALID_ARGUMENT.</summary>
    public static int Resolve(int pageSize, string field = "page_size")
    {
        RequestChecks.NotNegative(pageSize, field);
        if (pageSize > MaxPageSize)
        {
            Errors.InvalidArgument(field, $"must be at most {MaxPageSize}");
        }
        return pageSize == 0 ? DefaultPageSize : pageSize;
    }

    /// <summary>An empty token means the first page.</summary>
    public static string? Token(string? pageToken) => string.IsNullOrEmpty(pageToken) ? null : pageToken;
}
