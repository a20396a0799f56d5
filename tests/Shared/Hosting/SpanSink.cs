using System.Collections;
using System.Diagnostics;

namespace EventLog.Tests.Shared;

/// <summary>
/// Keeps the spans an in-memory exporter delivers (<c>AddInMemoryExporter(sink)</c>), from whatever thread ends
/// them, and waits for the ones a test expects: a span is exported when it ends, which can be after the call
/// returned to the client.
/// </summary>
public sealed class SpanSink : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    /// <summary>The spans exported so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <inheritdoc/>
    public int Count => Spans.Count;

    /// <inheritdoc/>
    public bool IsReadOnly => false;

    /// <summary>The one span matching <paramref name="match"/>, once it has been exported; fails after <see cref="TestTimeouts.Default"/> or when there are several.</summary>
    public async Task<Activity> SingleAsync(Func<Activity, bool> match)
    {
        var until = DateTime.UtcNow + TestTimeouts.Default;
        while (!Spans.Any(match) && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }
        var found = Spans.Where(match).ToList();
        return found.Count == 1 ? found[0] : throw new InvalidOperationException($"{found.Count} spans match, one was expected; exported: {string.Join(", ", Spans.Select(s => s.DisplayName))}");
    }

    /// <inheritdoc/>
    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    /// <inheritdoc/>
    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    /// <inheritdoc/>
    public bool Contains(Activity item) => Spans.Contains(item);

    /// <inheritdoc/>
    public void CopyTo(Activity[] array, int arrayIndex) => Spans.ToList().CopyTo(array, arrayIndex);

    /// <inheritdoc/>
    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    /// <inheritdoc/>
    public IEnumerator<Activity> GetEnumerator() => Spans.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
