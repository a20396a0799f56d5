using System.Runtime.CompilerServices;

namespace EventLog.Client.Internal;

/// <summary>Walks a keyset-paginated list RPC page by page, yielding items as pages arrive.</summary>
internal static class Pager
{
    public static async IAsyncEnumerable<TItem> ListAsync<TResponse, TItem>(
        Func<string, CancellationToken, Task<TResponse>> fetchPage,
        Func<TResponse, IEnumerable<TItem>> items,
        Func<TResponse, string> nextPageToken,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = "";
        do
        {
            var page = await fetchPage(token, cancellationToken).ConfigureAwait(false);
            foreach (var item in items(page))
            {
                yield return item;
            }
            token = nextPageToken(page);
        }
        while (!string.IsNullOrEmpty(token));
    }
}
