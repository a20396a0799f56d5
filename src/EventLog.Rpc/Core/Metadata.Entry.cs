using System.Text;

namespace Grpc.Core;

public sealed partial class Metadata
{
    /// <summary>One metadata key/value pair.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        /// <summary>Creates a text entry.</summary>
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException("A key ending in -bin needs a byte[] value.", nameof(key));
            }
            ArgumentNullException.ThrowIfNull(value);
            foreach (var c in value)
            {
                // Header values are printable ASCII; anything else must go in a -bin entry.
                if (c < 0x20 || c > 0x7E)
                {
                    throw new ArgumentException("Text metadata values must be printable ASCII; use a -bin key for other bytes.", nameof(value));
                }
            }
            _value = value;
        }

        /// <summary>Creates a binary entry.</summary>
        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException("A byte[] value needs a key ending in -bin.", nameof(key));
            }
            _valueBytes = valueBytes ?? throw new ArgumentNullException(nameof(valueBytes));
        }

        /// <summary>The key, lower-case.</summary>
        public string Key { get; }

        /// <summary>The text value; throws for binary entries.</summary>
        public string Value => _value ?? throw new InvalidOperationException("A binary entry has no text value; use ValueBytes.");

        /// <summary>The value as bytes (a copy); text values are encoded as ASCII.</summary>
        public byte[] ValueBytes => _valueBytes is not null ? (byte[])_valueBytes.Clone() : Encoding.ASCII.GetBytes(_value!);

        /// <summary>Whether the entry carries binary data.</summary>
        public bool IsBinary => _valueBytes is not null;

        /// <inheritdoc/>
        public override string ToString() => IsBinary ? $"[Entry: key={Key}, valueBytes={_valueBytes!.Length} bytes]" : $"[Entry: key={Key}, value={_value}]";

        internal static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var normalized = key.ToLowerInvariant();
            foreach (var c in normalized)
            {
                var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
                if (!ok)
                {
                    throw new ArgumentException($"Metadata key '{key}' contains an invalid character.", nameof(key));
                }
            }
            return normalized;
        }
    }
}
