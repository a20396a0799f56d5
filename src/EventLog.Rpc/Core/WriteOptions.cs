namespace Grpc.Core;

/// <summary>Flags for one write.</summary>
[Flags]
public enum WriteFlags
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>Hint that the write may be buffered.</summary>
    BufferHint = 0x1,
    /// <summary>Do not compress this message.</summary>
    NoCompress = 0x2,
}

/// <summary>Options for writes.</summary>
public class WriteOptions(WriteFlags flags = WriteFlags.None)
{
    /// <summary>Default options.</summary>
    public static readonly WriteOptions Default = new();

    /// <summary>The flags.</summary>
    public WriteFlags Flags { get; } = flags;
}
