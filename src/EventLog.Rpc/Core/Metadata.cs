using System.Collections;

namespace Grpc.Core;

/// <summary>Request headers, response headers or trailers: an ordered list of key/value entries.</summary>
/// <remarks>Keys are case-insensitive (stored lower-case); keys ending in <c>-bin</c> carry bytes.</remarks>
public sealed partial class Metadata : IList<Metadata.Entry>
{
    /// <summary>The suffix of keys whose values are binary.</summary>
    public const string BinaryHeaderSuffix = "-bin";

    // Shared by every instance until its first entry: most calls' request metadata and trailers stay empty, and
    // the list is then never allocated. Never changed (Add and Insert replace it first, Clear skips an empty list).
    private static readonly List<Entry> s_none = [];

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new Metadata().Freeze();

    private List<Entry> _entries = s_none;
    private bool _readOnly;

    /// <summary>Makes this instance read-only.</summary>
    internal Metadata Freeze()
    {
        _readOnly = true;
        return this;
    }

    /// <summary>The last entry with the given key, or null.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].Key.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }
        return null;
    }

    /// <summary>The last text value with the given key, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The last binary value with the given key, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <summary>All entries with the given key, in order.</summary>
    public IEnumerable<Entry> GetAll(string key) => _entries.Where(e => e.Key.Equals(key, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds a text entry.</summary>
    public void Add(string key, string value) => Add(new Entry(key, value));

    /// <summary>Adds a binary entry (the key must end in <c>-bin</c>).</summary>
    public void Add(string key, byte[] valueBytes) => Add(new Entry(key, valueBytes));

    /// <inheritdoc/>
    public void Add(Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckWritable();
        Writable().Add(item);
    }

    /// <inheritdoc/>
    public Entry this[int index]
    {
        get => _entries[index];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            CheckWritable();
            _entries[index] = value;
        }
    }

    /// <inheritdoc/>
    public int Count => _entries.Count;

    /// <inheritdoc/>
    public bool IsReadOnly => _readOnly;

    /// <inheritdoc/>
    public int IndexOf(Entry item) => _entries.IndexOf(item);

    /// <inheritdoc/>
    public void Insert(int index, Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckWritable();
        Writable().Insert(index, item);
    }

    /// <inheritdoc/>
    public void RemoveAt(int index)
    {
        CheckWritable();
        _entries.RemoveAt(index);
    }

    /// <inheritdoc/>
    public void Clear()
    {
        CheckWritable();
        if (_entries.Count > 0)
        {
            _entries.Clear();
        }
    }

    /// <inheritdoc/>
    public bool Contains(Entry item) => _entries.Contains(item);

    /// <inheritdoc/>
    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    /// <inheritdoc/>
    public bool Remove(Entry item)
    {
        CheckWritable();
        return _entries.Remove(item);
    }

    /// <inheritdoc/>
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private List<Entry> Writable() => ReferenceEquals(_entries, s_none) ? _entries = [] : _entries;

    private void CheckWritable()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("Metadata is read-only.");
        }
    }
}
