using System;

namespace IoTSec.Protocol.Cbor
{
    /// <summary>
    /// A forward-only reader for the CBOR subset IoTSec speaks (RFC 8949): integers, byte and
    /// text strings, arrays, maps, tags, false, true and null, definite lengths only. By
    /// default it accepts only deterministically encoded input (RFC 8949 §4.2.1), so that a
    /// signed structure has exactly one encoding. Every refusal is a <see cref="CborException"/>
    /// with a <see cref="CborError"/> reason; a length or count is checked against the bytes
    /// that remain before anything is allocated or looped over.
    /// </summary>
    /// <remarks>
    /// Arrays and maps are read as <see cref="ReadStartArray"/> (returns the count), that many
    /// items, then <see cref="ReadEndArray"/>; maps alternate key and value. A tag is read with
    /// <see cref="ReadTag"/> followed by the tagged item. Offsets returned and reported are
    /// indexes into the buffer given to the constructor. Several top-level items in a row
    /// (a CBOR sequence, RFC 8742) are read one after the other; <see cref="ReadEnd"/> checks
    /// nothing is left. A refusal with <see cref="CborError.UnexpectedType"/>,
    /// <see cref="CborError.IntegerOverflow"/>, <see cref="CborError.TooManyItems"/> or
    /// <see cref="CborError.ContainerIncomplete"/> leaves the reader unchanged; after any
    /// other reason the input is bad and the reader must be discarded.
    /// </remarks>
    public sealed class CborReader
    {
        // Simple values (RFC 8949 §3.3): 20 false, 21 true, 22 null.
        private const ulong SimpleTrue = 21;
        private const ulong SimpleNull = 22;

        private readonly byte[] _buffer;
        private readonly int _end;
        private readonly bool _strict;
        private readonly CborNesting _nesting;
        private int _position;

        // Length of the head decoded last, consumed by Advance.
        private int _headLength;

        /// <summary>Reads <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>, deterministic encoding required.</summary>
        /// <param name="buffer">The input; the reader does not copy it, so it must not change while read.</param>
        /// <param name="offset">Index of the first byte of the CBOR input.</param>
        /// <param name="length">Number of bytes of CBOR input.</param>
        public CborReader(byte[] buffer, int offset, int length)
            : this(buffer, offset, length, CborConformance.Deterministic)
        {
        }

        /// <summary>Reads <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        /// <param name="buffer">The input; the reader does not copy it, so it must not change while read.</param>
        /// <param name="offset">Index of the first byte of the CBOR input.</param>
        /// <param name="length">Number of bytes of CBOR input.</param>
        /// <param name="conformance">Whether non-deterministic encodings are refused.</param>
        public CborReader(byte[] buffer, int offset, int length, CborConformance conformance)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (offset < 0 || offset > buffer.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offset));
            }

            if (length < 0 || length > buffer.Length - offset)
            {
                throw new ArgumentOutOfRangeException(nameof(length));
            }

            _buffer = buffer;
            _end = offset + length;
            _position = offset;
            _strict = conformance == CborConformance.Deterministic;
            _nesting = new CborNesting(_strict);
        }

        /// <summary>Reads all of <paramref name="buffer"/>, deterministic encoding required.</summary>
        /// <param name="buffer">The input.</param>
        public CborReader(byte[] buffer)
            : this(buffer, 0, buffer == null ? 0 : buffer.Length, CborConformance.Deterministic)
        {
        }

        /// <summary>Index in the buffer of the next byte to read.</summary>
        public int Position
        {
            get { return _position; }
        }

        /// <summary>Bytes of input not yet consumed.</summary>
        public int BytesRemaining
        {
            get { return _end - _position; }
        }

        /// <summary>Number of open arrays, maps and tags.</summary>
        public int Depth
        {
            get { return _nesting.Depth; }
        }

        /// <summary>
        /// What the next read will find. The next item's head is validated (truncation,
        /// indefinite lengths, reserved values, floats, unsupported simple values, shortest
        /// form), so a malformed item is reported here already.
        /// </summary>
        public CborReaderState PeekState()
        {
            if (_nesting.AtContainerEnd)
            {
                return _nesting.InnermostKind == CborNesting.KindMap ? CborReaderState.EndMap : CborReaderState.EndArray;
            }

            if (_nesting.Depth == 0 && _position == _end)
            {
                return CborReaderState.Finished;
            }

            ulong argument;
            int major = DecodeHead(out argument);
            switch (major)
            {
                case 0: return CborReaderState.UnsignedInteger;
                case 1: return CborReaderState.NegativeInteger;
                case 2: return CborReaderState.ByteString;
                case 3: return CborReaderState.TextString;
                case 4: return CborReaderState.StartArray;
                case 5: return CborReaderState.StartMap;
                case 6: return CborReaderState.Tag;
                default: return argument == SimpleNull ? CborReaderState.Null : CborReaderState.Boolean;
            }
        }

        /// <summary>The major type of the next item, its head validated as by <see cref="PeekState"/>.</summary>
        /// <exception cref="CborException">No item follows (<see cref="CborError.TooManyItems"/> at the end of a container, <see cref="CborError.Truncated"/> at the end of input), or the head is malformed.</exception>
        public CborMajorType PeekType()
        {
            // BeginItem refuses to look past the end of the current container.
            _nesting.BeginItem(_position);
            ulong argument;
            return (CborMajorType)DecodeHead(out argument);
        }

        /// <summary>Reads an unsigned integer (major type 0), the whole range 0..2^64-1.</summary>
        public ulong ReadUInt64()
        {
            ulong value = ReadHeadOfType(0);
            Complete();
            return value;
        }

        /// <summary>Reads an unsigned or negative integer that fits a <see cref="long"/>.</summary>
        /// <exception cref="CborException"><see cref="CborError.IntegerOverflow"/> when the value is outside the range of <see cref="long"/>.</exception>
        public long ReadInt64()
        {
            int itemStart = _position;
            _nesting.BeginItem(itemStart);
            ulong argument;
            int major = DecodeHead(out argument);
            if (major != 0 && major != 1)
            {
                throw WrongType(itemStart, major, "an integer");
            }

            if (argument > long.MaxValue)
            {
                throw new CborException(CborError.IntegerOverflow, itemStart, "integer does not fit a 64-bit signed integer");
            }

            Advance();
            Complete();

            // Major type 1 encodes -1 - n (RFC 8949 §3.1); n <= long.MaxValue keeps it in range.
            return major == 0 ? (long)argument : -1L - (long)argument;
        }

        /// <summary>Reads an unsigned or negative integer that fits an <see cref="int"/>.</summary>
        /// <exception cref="CborException"><see cref="CborError.IntegerOverflow"/> when the value is outside the range of <see cref="int"/>.</exception>
        public int ReadInt32()
        {
            int itemStart = _position;
            _nesting.BeginItem(itemStart);
            ulong argument;
            int major = DecodeHead(out argument);
            if (major != 0 && major != 1)
            {
                throw WrongType(itemStart, major, "an integer");
            }

            if (argument > int.MaxValue)
            {
                throw new CborException(CborError.IntegerOverflow, itemStart, "integer does not fit a 32-bit signed integer");
            }

            Advance();
            Complete();
            return major == 0 ? (int)argument : -1 - (int)argument;
        }

        /// <summary>
        /// Reads a negative integer (major type 1) as its wire argument n, the value being
        /// -1 - n: covers -2^64..-1, beyond <see cref="long"/>.
        /// </summary>
        public ulong ReadCborNegativeIntegerRepresentation()
        {
            ulong value = ReadHeadOfType(1);
            Complete();
            return value;
        }

        /// <summary>Reads a byte string into a new array.</summary>
        public byte[] ReadByteString()
        {
            int offset;
            int length;
            ReadByteStringSegment(out offset, out length);
            byte[] copy = new byte[length];
            Array.Copy(_buffer, offset, copy, 0, length);
            return copy;
        }

        /// <summary>Reads a byte string without copying: its content is <paramref name="length"/> bytes at <paramref name="offset"/> in the reader's buffer.</summary>
        /// <param name="offset">Index in the buffer of the content's first byte.</param>
        /// <param name="length">Length of the content.</param>
        public void ReadByteStringSegment(out int offset, out int length)
        {
            length = ReadStringHead(2);
            offset = _position;
            _position += length;
            Complete();
        }

        /// <summary>Reads a text string, refusing invalid UTF-8.</summary>
        public string ReadTextString()
        {
            int length = ReadStringHead(3);
            int offset = _position;

            // length is bounded by the input, so this allocation is too; UTF-16 never needs
            // more code units than UTF-8 has bytes.
            char[] chars = new char[length];
            int charCount = CborUtf8.Decode(_buffer, offset, offset + length, chars);
            _position += length;
            Complete();
            return new string(chars, 0, charCount);
        }

        /// <summary>Reads a text string without decoding it: its UTF-8 (validated) is <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
        /// <param name="offset">Index in the buffer of the content's first byte.</param>
        /// <param name="length">Length of the content in bytes.</param>
        public void ReadTextStringSegment(out int offset, out int length)
        {
            length = ReadStringHead(3);
            offset = _position;
            CborUtf8.Validate(_buffer, offset, offset + length);
            _position += length;
            Complete();
        }

        /// <summary>Reads false or true.</summary>
        public bool ReadBoolean()
        {
            int itemStart = _position;
            ulong value = PeekHeadOfType(7);
            if (value == SimpleNull)
            {
                throw new CborException(CborError.UnexpectedType, itemStart, "expected a boolean, found null");
            }

            Advance();
            Complete();
            return value == SimpleTrue;
        }

        /// <summary>Reads null.</summary>
        public void ReadNull()
        {
            int itemStart = _position;
            ulong value = PeekHeadOfType(7);
            if (value != SimpleNull)
            {
                throw new CborException(CborError.UnexpectedType, itemStart, "expected null, found a boolean");
            }

            Advance();
            Complete();
        }

        /// <summary>Reads an array's head and opens it; read that many items, then call <see cref="ReadEndArray"/>.</summary>
        /// <returns>The number of items, already checked against the bytes that remain.</returns>
        public int ReadStartArray()
        {
            int itemStart = _position;
            int count = ReadContainerHead(4, 1);
            _nesting.Push(CborNesting.KindArray, count, itemStart);
            Advance();
            return count;
        }

        /// <summary>Closes the current array once all its items are read.</summary>
        public void ReadEndArray()
        {
            CloseContainer(CborNesting.KindArray, "array");
        }

        /// <summary>
        /// Reads a map's head and opens it; read that many key/value pairs (key first), then
        /// call <see cref="ReadEndMap"/>. In deterministic mode each key is checked against the
        /// previous one as it completes.
        /// </summary>
        /// <returns>The number of pairs, already checked against the bytes that remain.</returns>
        public int ReadStartMap()
        {
            int itemStart = _position;
            int pairs = ReadContainerHead(5, 2);
            _nesting.Push(CborNesting.KindMap, pairs * 2, itemStart);
            Advance();
            return pairs;
        }

        /// <summary>Closes the current map once all its pairs are read.</summary>
        public void ReadEndMap()
        {
            CloseContainer(CborNesting.KindMap, "map");
        }

        /// <summary>Reads a tag number (for example 18, COSE_Sign1); the tagged item follows.</summary>
        public ulong ReadTag()
        {
            int itemStart = _position;
            _nesting.BeginItem(itemStart);
            ulong argument;
            int major = DecodeHead(out argument);
            if (major != 6)
            {
                throw WrongType(itemStart, major, "a tag");
            }

            _nesting.Push(CborNesting.KindTag, 1, itemStart);
            Advance();
            return argument;
        }

        /// <summary>Skips the next item with everything nested in it, validating it as if read.</summary>
        public void SkipValue()
        {
            // Recursion is bounded: each level opens a container, and the nesting stack
            // refuses more than CborLimits.MaxNestingDepth of them.
            int offset;
            int length;
            switch (PeekStateForItem())
            {
                case CborReaderState.UnsignedInteger:
                    ReadUInt64();
                    break;
                case CborReaderState.NegativeInteger:
                    ReadCborNegativeIntegerRepresentation();
                    break;
                case CborReaderState.ByteString:
                    ReadByteStringSegment(out offset, out length);
                    break;
                case CborReaderState.TextString:
                    ReadTextStringSegment(out offset, out length);
                    break;
                case CborReaderState.StartArray:
                    int items = ReadStartArray();
                    for (int i = 0; i < items; i++)
                    {
                        SkipValue();
                    }

                    ReadEndArray();
                    break;
                case CborReaderState.StartMap:
                    int pairs = ReadStartMap();
                    for (int i = 0; i < pairs; i++)
                    {
                        SkipValue();
                        SkipValue();
                    }

                    ReadEndMap();
                    break;
                case CborReaderState.Tag:
                    ReadTag();
                    SkipValue();
                    break;
                case CborReaderState.Boolean:
                    ReadBoolean();
                    break;
                default:
                    ReadNull();
                    break;
            }
        }

        /// <summary>
        /// Reads the next item whole, validated, and gives where its exact encoding lies, for
        /// data whose bytes matter as sent (RFC 9052 signs the protected header and payload
        /// as encoded).
        /// </summary>
        /// <param name="offset">Index in the buffer of the item's first byte.</param>
        /// <param name="length">Length of the item's encoding.</param>
        public void ReadEncodedValueSegment(out int offset, out int length)
        {
            int itemStart = _position;
            SkipValue();
            offset = itemStart;
            length = _position - itemStart;
        }

        /// <summary>Reads the next item whole, validated, and returns a copy of its encoding.</summary>
        public byte[] ReadEncodedValue()
        {
            int offset;
            int length;
            ReadEncodedValueSegment(out offset, out length);
            byte[] copy = new byte[length];
            Array.Copy(_buffer, offset, copy, 0, length);
            return copy;
        }

        /// <summary>Requires the input to be fully consumed: no open container and no byte left.</summary>
        /// <exception cref="CborException"><see cref="CborError.ContainerIncomplete"/> or <see cref="CborError.TrailingBytes"/>.</exception>
        public void ReadEnd()
        {
            if (_nesting.Depth != 0)
            {
                throw new CborException(CborError.ContainerIncomplete, _position, "an array, map or tag is still open");
            }

            if (_position != _end)
            {
                throw new CborException(CborError.TrailingBytes, _position, (_end - _position).ToString() + " bytes follow the data item");
            }
        }

        private CborReaderState PeekStateForItem()
        {
            // SkipValue must refuse to run past a container's end rather than see EndArray,
            // and must report missing input as truncation rather than see Finished.
            _nesting.BeginItem(_position);
            CborReaderState state = PeekState();
            if (state == CborReaderState.Finished)
            {
                throw new CborException(CborError.Truncated, _position, "input ends where a data item should start");
            }

            return state;
        }

        private void CloseContainer(int kind, string name)
        {
            if (_nesting.Depth == 0 || _nesting.InnermostKind != kind)
            {
                throw new CborException(CborError.UnexpectedType, _position, "no " + name + " is open");
            }

            if (!_nesting.AtContainerEnd)
            {
                throw new CborException(CborError.ContainerIncomplete, _position, "the " + name + " has items left");
            }

            _nesting.Pop();
            Complete();
        }

        private void Complete()
        {
            _nesting.CompleteItem(_buffer, _position, false);
        }

        private void Advance()
        {
            _position += _headLength;
        }

        private ulong ReadHeadOfType(int expectedMajor)
        {
            ulong argument = PeekHeadOfType(expectedMajor);
            Advance();
            return argument;
        }

        /// <summary>Consumes a string head and returns the content length, bounded by the input.</summary>
        private int ReadStringHead(int major)
        {
            int itemStart = _position;
            ulong length = PeekHeadOfType(major);
            ulong available = (ulong)(_end - _position - _headLength);
            if (length > available)
            {
                throw new CborException(
                    CborError.Truncated,
                    itemStart,
                    "string claims " + length.ToString() + " bytes, " + available.ToString() + " remain");
            }

            Advance();
            return (int)length;
        }

        /// <summary>
        /// Decodes a container head and returns its count, refusing counts the rest of the
        /// input cannot hold (each item takes at least one byte), so 2^32 claimed items fail
        /// at once instead of looping or allocating.
        /// </summary>
        private int ReadContainerHead(int major, int bytesPerEntry)
        {
            int itemStart = _position;
            ulong count = PeekHeadOfType(major);
            ulong available = (ulong)(_end - _position - _headLength);
            if (count > available / (ulong)bytesPerEntry)
            {
                throw new CborException(
                    CborError.Truncated,
                    itemStart,
                    (major == 4 ? "array claims " : "map claims ") + count.ToString() + (major == 4 ? " items, " : " pairs, ") + available.ToString() + " bytes remain");
            }

            return (int)count;
        }

        private ulong PeekHeadOfType(int expectedMajor)
        {
            int itemStart = _position;
            _nesting.BeginItem(itemStart);
            ulong argument;
            int major = DecodeHead(out argument);
            if (major != expectedMajor)
            {
                throw WrongType(itemStart, major, TypeName(expectedMajor));
            }

            return argument;
        }

        /// <summary>
        /// Decodes and validates the head at the current position without consuming it;
        /// sets <see cref="_headLength"/>. Returns the major type.
        /// </summary>
        private int DecodeHead(out ulong argument)
        {
            int p = _position;
            if (p >= _end)
            {
                throw new CborException(CborError.Truncated, p, "input ends where a data item should start");
            }

            int initial = _buffer[p];
            int major = initial >> 5;
            int info = initial & 0x1F;

            if (major == 7)
            {
                // Major type 7 (RFC 8949 §3.3): only false, true, null belong to the subset.
                if (info >= 20 && info <= 22)
                {
                    argument = (ulong)info;
                    _headLength = 1;
                    return major;
                }

                if (info >= 25 && info <= 27)
                {
                    throw new CborException(CborError.UnsupportedFloat, p, "floating-point values are not supported");
                }

                if (info == 31)
                {
                    throw new CborException(CborError.IndefiniteLength, p, "break stop code outside an indefinite-length item");
                }

                if (info >= 28)
                {
                    throw new CborException(CborError.ReservedAdditionalInfo, p, "reserved additional information " + info.ToString());
                }

                throw new CborException(CborError.UnsupportedSimpleValue, p, "simple value other than false, true and null");
            }

            if (info < 24)
            {
                argument = (ulong)info;
                _headLength = 1;
                return major;
            }

            if (info == 31)
            {
                if (major >= 2 && major <= 5)
                {
                    throw new CborException(CborError.IndefiniteLength, p, "indefinite-length items are not allowed (RFC 8949 section 4.2.1)");
                }

                throw new CborException(CborError.ReservedAdditionalInfo, p, "additional information 31 is not valid for major type " + major.ToString());
            }

            if (info > 27)
            {
                throw new CborException(CborError.ReservedAdditionalInfo, p, "reserved additional information " + info.ToString());
            }

            // 24, 25, 26, 27: a 1, 2, 4 or 8 byte big-endian argument follows.
            int size = 1 << (info - 24);
            if (_end - p - 1 < size)
            {
                throw new CborException(CborError.Truncated, p, "input ends inside a data item's head");
            }

            ulong value = 0;
            for (int i = 1; i <= size; i++)
            {
                value = (value << 8) | _buffer[p + i];
            }

            // Preferred serialization (RFC 8949 §4.2.1): the argument must need its width.
            if (_strict)
            {
                ulong smallestForWidth = size == 1 ? 24UL : (1UL << (4 * size));
                if (value < smallestForWidth)
                {
                    throw new CborException(CborError.NonShortestEncoding, p, "argument " + value.ToString() + " is not in its shortest form");
                }
            }

            argument = value;
            _headLength = 1 + size;
            return major;
        }

        private static CborException WrongType(int offset, int major, string expected)
        {
            return new CborException(CborError.UnexpectedType, offset, "expected " + expected + ", found " + TypeName(major));
        }

        private static string TypeName(int major)
        {
            switch (major)
            {
                case 0: return "an unsigned integer";
                case 1: return "a negative integer";
                case 2: return "a byte string";
                case 3: return "a text string";
                case 4: return "an array";
                case 5: return "a map";
                case 6: return "a tag";
                default: return "a simple value";
            }
        }
    }
}
