using System;

namespace IoTSec.Protocol.Cbor
{
    /// <summary>
    /// Writes one CBOR data item in the deterministic encoding of RFC 8949 §4.2.1: every
    /// integer, length, count and tag in its shortest form, definite lengths only, and map
    /// keys in strictly increasing bytewise order of their encodings. The writer does not
    /// sort: a key written out of order or twice is refused with
    /// <see cref="CborError.MapKeyOutOfOrder"/> or <see cref="CborError.DuplicateMapKey"/>, so
    /// an encoding bug surfaces where it is made (sort keys with <see cref="CborKeyOrder"/>).
    /// </summary>
    /// <remarks>
    /// Arrays and maps declare their size up front and close by themselves after their last
    /// item; a tag applies to the next item. Output goes to an internal array that grows as
    /// needed. After a <see cref="CborException"/> the content is undefined: call
    /// <see cref="Reset"/>.
    /// </remarks>
    public sealed class CborWriter
    {
        private readonly CborNesting _nesting = new CborNesting(true);
        private byte[] _buffer;
        private int _length;
        private bool _rootWritten;

        /// <summary>Creates a writer with a small initial buffer.</summary>
        public CborWriter()
            : this(64)
        {
        }

        /// <summary>Creates a writer whose buffer starts at <paramref name="initialCapacity"/> bytes.</summary>
        /// <param name="initialCapacity">Bytes to reserve; the buffer grows beyond it when needed.</param>
        public CborWriter(int initialCapacity)
        {
            if (initialCapacity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(initialCapacity));
            }

            _buffer = new byte[initialCapacity < 16 ? 16 : initialCapacity];
        }

        /// <summary>Number of bytes written so far.</summary>
        public int BytesWritten
        {
            get { return _length; }
        }

        /// <summary>Number of arrays, maps and tags still waiting for items.</summary>
        public int Depth
        {
            get { return _nesting.Depth; }
        }

        /// <summary>True once one complete top-level item has been written.</summary>
        public bool IsComplete
        {
            get { return _rootWritten && _nesting.Depth == 0; }
        }

        /// <summary>Discards the content, keeping the buffer for reuse.</summary>
        public void Reset()
        {
            _length = 0;
            _rootWritten = false;
            _nesting.Clear();
        }

        /// <summary>Writes an unsigned integer (major type 0).</summary>
        /// <param name="value">The value.</param>
        public void WriteUInt64(ulong value)
        {
            BeginItem();
            WriteHead(0, value);
            CompleteItem();
        }

        /// <summary>Writes an integer as major type 0 or 1.</summary>
        /// <param name="value">The value.</param>
        public void WriteInt64(long value)
        {
            BeginItem();

            // -1 - value is the argument of major type 1 (RFC 8949 §3.1); for long.MinValue,
            // ~value gives 2^63 - 1 without overflow.
            if (value < 0)
            {
                WriteHead(1, (ulong)~value);
            }
            else
            {
                WriteHead(0, (ulong)value);
            }

            CompleteItem();
        }

        /// <summary>Writes an integer as major type 0 or 1.</summary>
        /// <param name="value">The value.</param>
        public void WriteInt32(int value)
        {
            WriteInt64(value);
        }

        /// <summary>Writes the negative integer -1 - <paramref name="argument"/> (major type 1), which reaches -2^64.</summary>
        /// <param name="argument">The wire argument n of the value -1 - n.</param>
        public void WriteCborNegativeIntegerRepresentation(ulong argument)
        {
            BeginItem();
            WriteHead(1, argument);
            CompleteItem();
        }

        /// <summary>Writes a byte string.</summary>
        /// <param name="value">The content.</param>
        public void WriteByteString(byte[] value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            WriteByteString(value, 0, value.Length);
        }

        /// <summary>Writes <paramref name="count"/> bytes of <paramref name="value"/> from <paramref name="offset"/> as a byte string.</summary>
        /// <param name="value">Buffer holding the content.</param>
        /// <param name="offset">Index of the content's first byte.</param>
        /// <param name="count">Length of the content.</param>
        public void WriteByteString(byte[] value, int offset, int count)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            if (offset < 0 || offset > value.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset));
            }

            if (count < 0 || count > value.Length - offset)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            BeginItem();
            WriteHead(2, (ulong)count);
            EnsureCapacity(count);
            Array.Copy(value, offset, _buffer, _length, count);
            _length += count;
            CompleteItem();
        }

        /// <summary>Writes a text string in UTF-8.</summary>
        /// <param name="value">The text; an unpaired surrogate is refused with <see cref="CborError.InvalidUtf16"/>.</param>
        public void WriteTextString(string value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            int byteCount = CborUtf8.GetByteCount(value, _length);
            BeginItem();
            WriteHead(3, (ulong)byteCount);
            EnsureCapacity(byteCount);
            _length = CborUtf8.Encode(value, _buffer, _length);
            CompleteItem();
        }

        /// <summary>Writes false or true.</summary>
        /// <param name="value">The value.</param>
        public void WriteBoolean(bool value)
        {
            BeginItem();
            EnsureCapacity(1);
            _buffer[_length++] = value ? (byte)0xF5 : (byte)0xF4;
            CompleteItem();
        }

        /// <summary>Writes null.</summary>
        public void WriteNull()
        {
            BeginItem();
            EnsureCapacity(1);
            _buffer[_length++] = 0xF6;
            CompleteItem();
        }

        /// <summary>Starts an array of exactly <paramref name="count"/> items; it closes after the last one.</summary>
        /// <param name="count">Number of items that follow.</param>
        public void WriteStartArray(int count)
        {
            StartContainer(4, count, CborNesting.KindArray, count, nameof(count));
        }

        /// <summary>
        /// Starts a map of exactly <paramref name="pairCount"/> pairs, written key then value,
        /// keys in increasing bytewise order of their encodings; it closes after the last value.
        /// </summary>
        /// <param name="pairCount">Number of key/value pairs that follow.</param>
        public void WriteStartMap(int pairCount)
        {
            if (pairCount > int.MaxValue / 2)
            {
                throw new ArgumentOutOfRangeException(nameof(pairCount));
            }

            StartContainer(5, pairCount, CborNesting.KindMap, pairCount * 2, nameof(pairCount));
        }

        /// <summary>Writes a tag (for example 18, COSE_Sign1); the next item written is the tagged item.</summary>
        /// <param name="tag">The tag number.</param>
        public void WriteTag(ulong tag)
        {
            int start = _length;
            BeginItem();
            _nesting.Push(CborNesting.KindTag, 1, start);
            WriteHead(6, tag);
        }

        /// <summary>Returns a copy of the encoded item.</summary>
        /// <exception cref="CborException"><see cref="CborError.ContainerIncomplete"/> when nothing was written or a container or tag still expects items.</exception>
        public byte[] Encode()
        {
            ThrowIfIncomplete();
            byte[] result = new byte[_length];
            Array.Copy(_buffer, 0, result, 0, _length);
            return result;
        }

        /// <summary>Copies the encoded item into <paramref name="destination"/> at <paramref name="offset"/>, without allocating.</summary>
        /// <param name="destination">Receives the encoding.</param>
        /// <param name="offset">Index of the first byte to write.</param>
        /// <returns>The number of bytes copied (<see cref="BytesWritten"/>).</returns>
        /// <exception cref="CborException"><see cref="CborError.ContainerIncomplete"/> as for <see cref="Encode()"/>.</exception>
        public int Encode(byte[] destination, int offset)
        {
            if (destination == null)
            {
                throw new ArgumentNullException(nameof(destination));
            }

            if (offset < 0 || offset > destination.Length || destination.Length - offset < _length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset));
            }

            ThrowIfIncomplete();
            Array.Copy(_buffer, 0, destination, offset, _length);
            return _length;
        }

        private void StartContainer(int major, int count, int kind, int items, string parameterName)
        {
            if (count < 0)
            {
                throw new ArgumentOutOfRangeException(parameterName);
            }

            int start = _length;
            BeginItem();

            // An empty container is closed at once but still counts as a level: the reader
            // opens it, so the writer must not produce what the reader refuses.
            _nesting.EnsureCanOpen(start);
            if (count == 0)
            {
                WriteHead(major, 0);
                CompleteItem();
                return;
            }

            _nesting.Push(kind, items, start);
            WriteHead(major, (ulong)count);
        }

        private void ThrowIfIncomplete()
        {
            if (!_rootWritten)
            {
                throw new CborException(CborError.ContainerIncomplete, _length, "nothing has been written");
            }

            if (_nesting.Depth != 0)
            {
                throw new CborException(
                    CborError.ContainerIncomplete,
                    _length,
                    _nesting.Depth.ToString() + " array(s), map(s) or tag(s) still expect items");
            }
        }

        private void BeginItem()
        {
            if (_nesting.Depth == 0 && _rootWritten)
            {
                throw new CborException(CborError.TooManyItems, _length, "a complete top-level item has already been written");
            }

            _nesting.BeginItem(_length);
        }

        private void CompleteItem()
        {
            if (_nesting.CompleteItem(_buffer, _length, true))
            {
                _rootWritten = true;
            }
        }

        /// <summary>Writes a head in its shortest form (RFC 8949 §4.2.1, preferred serialization).</summary>
        private void WriteHead(int major, ulong value)
        {
            EnsureCapacity(9);
            int mt = major << 5;
            if (value < 24)
            {
                _buffer[_length++] = (byte)(mt | (int)value);
            }
            else if (value <= 0xFF)
            {
                _buffer[_length++] = (byte)(mt | 24);
                _buffer[_length++] = (byte)value;
            }
            else if (value <= 0xFFFF)
            {
                _buffer[_length++] = (byte)(mt | 25);
                WriteBigEndian(value, 2);
            }
            else if (value <= 0xFFFFFFFF)
            {
                _buffer[_length++] = (byte)(mt | 26);
                WriteBigEndian(value, 4);
            }
            else
            {
                _buffer[_length++] = (byte)(mt | 27);
                WriteBigEndian(value, 8);
            }
        }

        private void WriteBigEndian(ulong value, int size)
        {
            for (int shift = (size - 1) * 8; shift >= 0; shift -= 8)
            {
                _buffer[_length++] = (byte)(value >> shift);
            }
        }

        private void EnsureCapacity(int extra)
        {
            if (_buffer.Length - _length >= extra)
            {
                return;
            }

            if (extra > int.MaxValue - _length)
            {
                throw new ArgumentOutOfRangeException(nameof(extra), "encoding would exceed 2 GiB");
            }

            int needed = _length + extra;
            int grown = _buffer.Length > int.MaxValue / 2 ? int.MaxValue : _buffer.Length * 2;
            byte[] larger = new byte[grown > needed ? grown : needed];
            Array.Copy(_buffer, 0, larger, 0, _length);
            _buffer = larger;
        }
    }
}
