using EventLog.Storage.GuestLogs;

namespace EventLog.Server.Services.GuestLogs;

/// <summary>
/// Cuts uploaded bytes (arriving in arbitrary pieces) into line-aligned chunks of at most the chunk limit.
/// A line longer than the limit gets a chunk of its own up to <c>maxLineBytes</c>; a longer one is split there.
/// The bytes after the last line break are held back: they are part of a line still being written.
/// </summary>
internal sealed class LineChunker(int chunkLimit, int maxLineBytes)
{
    private const byte NewLine = (byte)'\n';

    private byte[] _buffer = new byte[Math.Max(chunkLimit, 64 * 1024) * 2];
    private int _start;
    private int _end;

    /// <summary>Bytes received and not cut into a chunk yet.</summary>
    public int HeldBytes => _end - _start;

    /// <summary>Adds bytes and appends every chunk that is complete to <paramref name="output"/>.</summary>
    public void Append(ReadOnlySpan<byte> data, List<NewGuestLogChunk> output)
    {
        while (!data.IsEmpty)
        {
            Reserve(Math.Min(data.Length, chunkLimit));
            var n = Math.Min(data.Length, _buffer.Length - _end);
            data[..n].CopyTo(_buffer.AsSpan(_end));
            _end += n;
            data = data[n..];
            while (HeldBytes >= chunkLimit && TryCut(output))
            {
            }
        }
    }

    /// <summary>Cuts what is left up to the last line break; a trailing partial line stays held.</summary>
    public void Flush(List<NewGuestLogChunk> output)
    {
        while (HeldBytes > 0 && TryCut(output))
        {
        }
    }

    private bool TryCut(List<NewGuestLogChunk> output)
    {
        var held = _buffer.AsSpan(_start, _end - _start);
        var window = held[..Math.Min(held.Length, chunkLimit)];
        var cut = window.LastIndexOf(NewLine) + 1;
        var forcedBreak = false;
        if (cut == 0)
        {
            // The first line is longer than the limit: keep it whole up to maxLineBytes.
            var lineEnd = held[..Math.Min(held.Length, maxLineBytes)].IndexOf(NewLine);
            if (lineEnd >= 0)
            {
                cut = lineEnd + 1;
            }
            else if (held.Length >= maxLineBytes)
            {
                cut = maxLineBytes;
                forcedBreak = true;
            }
            else
            {
                return false;
            }
        }

        var content = held[..cut].ToArray();
        output.Add(new NewGuestLogChunk(content, content.AsSpan().Count(NewLine) + (forcedBreak ? 1 : 0)));
        _start += cut;
        return true;
    }

    /// <summary>Makes room for <paramref name="bytes"/> more, moving held bytes to the front or growing the buffer.</summary>
    private void Reserve(int bytes)
    {
        if (_buffer.Length - _end >= bytes)
        {
            return;
        }

        var held = HeldBytes;
        if (held + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, held + bytes));
        }

        Buffer.BlockCopy(_buffer, _start, _buffer, 0, held);
        _start = 0;
        _end = held;
    }
}
