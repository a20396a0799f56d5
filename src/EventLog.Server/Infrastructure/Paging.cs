namespace EventLog.Server.Infrastructure;

/// <summary>Page size rules shared by every list RPC (DESIGN.md section 3).</summary>
public static class Paging
{
    /// <summary>The page size used when a request asks for 0.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>The largest page size a request may ask for.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>0 gives the default, negative or above the maximum is INVALID_ARGUMENT.</summary>
    public static int Resolve(int pageSize, string field = "page_size")
    {
        if (pageSize < 0)
        {
            Errors.InvalidArgument(field, "must not be negative");
        }
        if (pageSize > MaxPageSize)
        {
            Errors.InvalidArgument(field, $"must be at most {MaxPageSize}");
        }
        return pageSize == 0 ? DefaultPageSize : pageSize;
    }

    /// <summary>An empty token means the first page.</summary>
    public static string? Token(string? pageToken) => string.IsNullOrEmpty(pageToken) ? null : pageToken;
}
