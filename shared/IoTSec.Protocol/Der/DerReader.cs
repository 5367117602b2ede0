using System;

namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// A forward-only reader of DER (X.690 distinguished encoding) over a slice of a byte
    /// array. It accepts only what DER allows: single-octet tags, definite lengths in their
    /// shortest form, minimal integers and OIDs. Anything else throws a
    /// <see cref="DerException"/> with the offset of the offending element; no other
    /// exception escapes for any input bytes.
    /// </summary>
    /// <remarks>
    /// Constructed elements are read through sub-readers over the same array (nothing is
    /// copied until a value is asked for), and nesting is bounded by <see cref="MaxDepth"/>
    /// so a hostile input cannot drive a recursive caller into stack exhaustion. Every
    /// length is checked against the enclosing element before anything is allocated.
    /// After a <see cref="DerException"/> the reader's position is unspecified.
    /// </remarks>
    public sealed partial class DerReader
    {
        /// <summary>Deepest nesting of constructed elements a reader will open (X.509 needs 6).</summary>
        public const int MaxDepth = 16;

        private readonly byte[] _buffer;
        private readonly int _end;
        private readonly int _depth;
        private int _position;

        /// <summary>Creates a reader over a whole array.</summary>
        /// <param name="buffer">The DER bytes.</param>
        public DerReader(byte[] buffer)
            : this(buffer, 0, buffer == null ? 0 : buffer.Length)
        {
        }

        /// <summary>Creates a reader over <paramref name="length"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        /// <param name="buffer">The array holding the DER bytes.</param>
        /// <param name="offset">Index of the first byte to read.</param>
        /// <param name="length">Number of bytes the reader may read.</param>
        public DerReader(byte[] buffer, int offset, int length)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset < 0 || length < 0 || offset > buffer.Length - length)
            {
                throw new ArgumentOutOfRangeException("offset", "the slice must lie inside the buffer");
            }

            _buffer = buffer;
            _position = offset;
            _end = offset + length;
            _depth = 0;
        }

        private DerReader(byte[] buffer, int offset, int length, int depth)
        {
            _buffer = buffer;
            _position = offset;
            _end = offset + length;
            _depth = depth;
        }

        /// <summary>Index in the underlying array of the next byte to read.</summary>
        public int Position
        {
            get { return _position; }
        }

        /// <summary>Bytes left in this reader's slice.</summary>
        public int Remaining
        {
            get { return _end - _position; }
        }

        /// <summary>Whether any byte is left in this reader's slice.</summary>
        public bool HasData
        {
            get { return _position < _end; }
        }

        /// <summary>Nesting depth of this reader: 0 for a reader made by a constructor.</summary>
        public int Depth
        {
            get { return _depth; }
        }

        /// <summary>The tag of the next element, without consuming it.</summary>
        /// <returns>The identifier octet.</returns>
        public byte PeekTag()
        {
            if (_position >= _end)
            {
                throw new DerException(DerError.Truncated, _position, "expected an element, found the end of the data");
            }

            byte tag = _buffer[_position];
            if ((tag & DerTag.HighTagNumberForm) == DerTag.HighTagNumberForm)
            {
                // X.690 §8.1.2.4: the multi-octet form. Nothing in X.509 needs it, and
                // accepting it would only widen what a hostile input can make us parse.
                throw new DerException(DerError.HighTagNumber, _position, "high-tag-number form (0x" + Hex(tag) + ") is not supported");
            }

            return tag;
        }

        /// <summary>Whether another element follows and has the given tag.</summary>
        /// <param name="tag">The identifier octet to look for.</param>
        /// <returns>True when the next element has that tag.</returns>
        public bool NextIs(byte tag)
        {
            return HasData && PeekTag() == tag;
        }

        /// <summary>Reads the identifier octet of the next element.</summary>
        /// <returns>The identifier octet.</returns>
        public byte ReadTag()
        {
            byte tag = PeekTag();
            _position++;
            return tag;
        }

        /// <summary>
        /// Reads the length octets at the current position and checks that the content
        /// they announce fits in what is left of this reader's slice.
        /// </summary>
        /// <returns>The number of content octets.</returns>
        public int ReadLength()
        {
            int at = _position;
            if (_position >= _end)
            {
                throw new DerException(DerError.Truncated, at, "expected length octets, found the end of the data");
            }

            int first = _buffer[_position++];
            int length;
            if (first < 0x80)
            {
                length = first;
            }
            else if (first == 0x80)
            {
                throw new DerException(DerError.IndefiniteLength, at, "indefinite length is not allowed in DER (X.690 §10.1)");
            }
            else
            {
                int count = first & 0x7F;
                if (count > 4)
                {
                    // Also catches 0xFF, reserved by X.690 §8.1.3.5.
                    throw new DerException(DerError.LengthTooLarge, at, "length of " + count.ToString() + " octets");
                }

                if (count > _end - _position)
                {
                    throw new DerException(DerError.Truncated, at, "length octets cut short");
                }

                if (_buffer[_position] == 0)
                {
                    throw new DerException(DerError.NonMinimalLength, at, "length with a leading zero octet");
                }

                uint value = 0;
                for (int i = 0; i < count; i++)
                {
                    value = (value << 8) | _buffer[_position++];
                }

                if (value > int.MaxValue)
                {
                    throw new DerException(DerError.LengthTooLarge, at, "length above 2^31-1");
                }

                length = (int)value;
                if (length < 0x80)
                {
                    throw new DerException(DerError.NonMinimalLength, at, "long form for a length below 128");
                }
            }

            if (length > _end - _position)
            {
                throw new DerException(
                    DerError.Truncated,
                    at,
                    "element claims " + length.ToString() + " content bytes, " + (_end - _position).ToString() + " remain");
            }

            return length;
        }

        /// <summary>Reads a SEQUENCE and returns a reader over its contents.</summary>
        /// <returns>A reader one level deeper.</returns>
        public DerReader ReadSequence()
        {
            return ReadConstructed(DerTag.Sequence);
        }

        /// <summary>Reads a SET and returns a reader over its contents.</summary>
        /// <returns>A reader one level deeper.</returns>
        public DerReader ReadSet()
        {
            return ReadConstructed(DerTag.Set);
        }

        /// <summary>Reads an EXPLICIT context tag [n] and returns a reader over the element it wraps.</summary>
        /// <param name="number">The tag number, 0 to 30.</param>
        /// <returns>A reader one level deeper.</returns>
        public DerReader ReadExplicit(int number)
        {
            return ReadConstructed(DerTag.ContextConstructed(number));
        }

        /// <summary>Reads a constructed element with the given tag and returns a reader over its contents.</summary>
        /// <param name="tag">An identifier octet with the constructed bit set.</param>
        /// <returns>A reader one level deeper.</returns>
        public DerReader ReadConstructed(byte tag)
        {
            if ((tag & DerTag.ConstructedFlag) == 0)
            {
                throw new ArgumentException("the tag of a constructed element has bit 0x20 set", "tag");
            }

            int at = _position;
            int length = ReadHeader(tag);
            if (_depth >= MaxDepth)
            {
                throw new DerException(DerError.NestingTooDeep, at, "more than " + MaxDepth.ToString() + " nested constructed elements");
            }

            var inner = new DerReader(_buffer, _position, length, _depth + 1);
            _position += length;
            return inner;
        }

        /// <summary>
        /// Reads the next element whatever its tag and returns where its whole encoding
        /// (tag, length and content) lies in the underlying array. Nothing is copied. A
        /// constructed element's contents are checked element by element (tags and lengths,
        /// down to <see cref="MaxDepth"/>), so a skipped value is well-formed DER too; the
        /// content of a primitive element is not looked into.
        /// </summary>
        /// <param name="encodedLength">Number of bytes of the whole encoding.</param>
        /// <returns>Index of the element's tag in the underlying array.</returns>
        public int SkipElement(out int encodedLength)
        {
            int at = _position;
            byte tag = ReadTag();
            int length = ReadLength();
            if ((tag & DerTag.ConstructedFlag) != 0)
            {
                if (_depth >= MaxDepth)
                {
                    throw new DerException(DerError.NestingTooDeep, at, "more than " + MaxDepth.ToString() + " nested constructed elements");
                }

                // Recursion is bounded by MaxDepth, so the stack use is too.
                var inner = new DerReader(_buffer, _position, length, _depth + 1);
                while (inner.HasData)
                {
                    int ignored;
                    inner.SkipElement(out ignored);
                }
            }

            _position += length;
            encodedLength = _position - at;
            return at;
        }

        /// <summary>Skips the next element whatever its tag (checking a constructed one's contents, as <see cref="SkipElement"/> does).</summary>
        public void Skip()
        {
            int ignored;
            SkipElement(out ignored);
        }

        /// <summary>Reads the next element whatever its tag (checked as <see cref="SkipElement"/> does) and returns a copy of its whole encoding.</summary>
        /// <returns>Tag, length and content octets.</returns>
        public byte[] ReadEncodedValue()
        {
            int length;
            int at = SkipElement(out length);
            return Copy(at, length);
        }

        /// <summary>Reads a primitive element with the given tag and returns where its content lies.</summary>
        /// <param name="tag">The identifier octet required.</param>
        /// <param name="contentLength">Number of content octets.</param>
        /// <returns>Index of the first content octet in the underlying array.</returns>
        public int ReadPrimitive(byte tag, out int contentLength)
        {
            if ((tag & DerTag.ConstructedFlag) != 0)
            {
                throw new ArgumentException("the tag of a primitive element has bit 0x20 clear", "tag");
            }

            contentLength = ReadHeader(tag);
            int start = _position;
            _position += contentLength;
            return start;
        }

        /// <summary>Throws <see cref="DerError.TrailingData"/> if anything is left in this reader's slice.</summary>
        public void ThrowIfNotEmpty()
        {
            if (_position < _end)
            {
                throw new DerException(DerError.TrailingData, _position, (_end - _position).ToString() + " bytes after the last expected element");
            }
        }

        /// <summary>Reads a tag that must equal <paramref name="expected"/>, then the length; leaves the position at the content.</summary>
        private int ReadHeader(byte expected)
        {
            byte tag = PeekTag();
            if (tag != expected)
            {
                throw new DerException(DerError.UnexpectedTag, _position, "expected tag 0x" + Hex(expected) + ", found 0x" + Hex(tag));
            }

            _position++;
            return ReadLength();
        }

        private byte[] Copy(int start, int length)
        {
            var copy = new byte[length];
            Array.Copy(_buffer, start, copy, 0, length);
            return copy;
        }

        internal static string Hex(byte value)
        {
            const string Digits = "0123456789ABCDEF";
            return new string(new char[] { Digits[value >> 4], Digits[value & 0x0F] });
        }
    }
}
