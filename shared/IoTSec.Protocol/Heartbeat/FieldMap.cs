using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// A CBOR map with small unsigned-integer keys (1..maxKey), read in one pass and then
    /// queried by key with typed, bounded accessors. Shared by the heartbeat, acknowledgement,
    /// command, OTA offer, key response and chain state decoders so that each one checks
    /// types, sizes and presence the same way.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The input must be deterministic CBOR (RFC 8949 §4.2.1): the reader refuses keys out of
    /// order and duplicate keys, so every message has exactly one encoding, the one its MAC
    /// covers. Keys outside 1..maxKey (including negative and text keys) are not an error
    /// here: the first is remembered in <see cref="UnknownKey"/> so that a decoder can report
    /// an unknown version before an unknown field.
    /// </para>
    /// <para>
    /// Why one pass: a <see cref="CborReader"/> carries its nesting state (five small
    /// arrays), so a reader per field made a heartbeat decode allocate about 7 KB; scalar
    /// values and string positions are kept from the single pass instead.
    /// </para>
    /// </remarks>
    internal sealed class FieldMap
    {
        private readonly byte[] _buffer;
        private readonly bool[] _present;
        private readonly CborReaderState[] _types;
        private readonly ulong[] _integers;
        private readonly int[] _offsets;
        private readonly int[] _lengths;

        private FieldMap(byte[] buffer, int maxKey)
        {
            _buffer = buffer;
            _present = new bool[maxKey + 1];
            _types = new CborReaderState[maxKey + 1];
            _integers = new ulong[maxKey + 1];
            _offsets = new int[maxKey + 1];
            _lengths = new int[maxKey + 1];
            UnknownKey = string.Empty;
        }

        /// <summary>The first key outside 1..maxKey, rendered for a message; empty when there is none.</summary>
        internal string UnknownKey { get; private set; }

        /// <summary>Reads a map that must fill <paramref name="length"/> bytes exactly.</summary>
        /// <exception cref="FieldException"><see cref="FieldProblem.Malformed"/>.</exception>
        internal static FieldMap Parse(byte[] buffer, int offset, int length, int maxKey, string what)
        {
            var map = new FieldMap(buffer, maxKey);
            try
            {
                var reader = new CborReader(buffer, offset, length);
                if (reader.PeekState() != CborReaderState.StartMap)
                {
                    throw new FieldException(FieldProblem.Malformed, what + " is not a CBOR map");
                }

                int pairs = reader.ReadStartMap();
                for (int i = 0; i < pairs; i++)
                {
                    int key = -1;
                    if (reader.PeekState() == CborReaderState.UnsignedInteger)
                    {
                        ulong raw = reader.ReadUInt64();
                        if (raw >= 1 && raw <= (ulong)maxKey)
                        {
                            key = (int)raw;
                        }
                        else if (map.UnknownKey.Length == 0)
                        {
                            map.UnknownKey = raw.ToString();
                        }
                    }
                    else
                    {
                        if (map.UnknownKey.Length == 0)
                        {
                            map.UnknownKey = "of CBOR major type " + ((int)reader.PeekType()).ToString();
                        }

                        reader.SkipValue();
                    }

                    if (key < 0)
                    {
                        reader.SkipValue();
                    }
                    else
                    {
                        map.ReadValue(reader, key);
                    }
                }

                reader.ReadEndMap();
                reader.ReadEnd();
            }
            catch (CborException e)
            {
                throw new FieldException(FieldProblem.Malformed, what + " is not valid deterministic CBOR: " + e.Message);
            }

            return map;
        }

        /// <summary>True when the map holds <paramref name="key"/>.</summary>
        internal bool Has(int key)
        {
            return _present[key];
        }

        /// <summary>Throws <see cref="FieldProblem.Missing"/> unless <paramref name="key"/> is present.</summary>
        internal void Require(int key, string name)
        {
            if (!_present[key])
            {
                throw new FieldException(FieldProblem.Missing, name + " (key " + key.ToString() + ") is missing");
            }
        }

        /// <summary>A required unsigned integer.</summary>
        internal ulong UInt64(int key, string name)
        {
            Expect(key, name, CborReaderState.UnsignedInteger, "an unsigned integer");
            return _integers[key];
        }

        /// <summary>A required unsigned integer of at most 32 bits.</summary>
        internal uint UInt32(int key, string name)
        {
            ulong value = UInt64(key, name);
            if (value > uint.MaxValue)
            {
                throw Invalid(key, name, "exceeds 2^32-1");
            }

            return (uint)value;
        }

        /// <summary>A required byte string of <paramref name="minLength"/> to <paramref name="maxLength"/> bytes.</summary>
        internal byte[] Bytes(int key, string name, int minLength, int maxLength)
        {
            Expect(key, name, CborReaderState.ByteString, "a byte string");
            int length = _lengths[key];
            if (length < minLength || length > maxLength)
            {
                throw Invalid(key, name, "has " + length.ToString() + " bytes, " + Range(minLength, maxLength) + " expected");
            }

            var copy = new byte[length];
            System.Array.Copy(_buffer, _offsets[key], copy, 0, length);
            return copy;
        }

        /// <summary>A required text string of <paramref name="minBytes"/> to <paramref name="maxBytes"/> bytes of UTF-8 (already validated by the reader).</summary>
        internal string Text(int key, string name, int minBytes, int maxBytes)
        {
            Expect(key, name, CborReaderState.TextString, "a text string");
            int length = _lengths[key];
            if (length < minBytes || length > maxBytes)
            {
                throw Invalid(key, name, "has " + length.ToString() + " bytes of UTF-8, " + Range(minBytes, maxBytes) + " expected");
            }

            var chars = new char[length];
            int count = CborUtf8.Decode(_buffer, _offsets[key], _offsets[key] + length, chars);
            return new string(chars, 0, count);
        }

        /// <summary>A reader over the whole encoded value of a required key of another type (an array, a map).</summary>
        internal CborReader Value(int key, string name, CborReaderState expected, string expectedText)
        {
            Expect(key, name, expected, expectedText);
            return new CborReader(_buffer, _offsets[key], _lengths[key]);
        }

        /// <summary>Builds the exception for a value present but unacceptable.</summary>
        internal static FieldException Invalid(int key, string name, string detail)
        {
            return new FieldException(FieldProblem.Invalid, name + " (key " + key.ToString() + ") " + detail);
        }

        private void ReadValue(CborReader reader, int key)
        {
            CborReaderState type = reader.PeekState();
            int offset;
            int length;
            switch (type)
            {
                case CborReaderState.UnsignedInteger:
                    _integers[key] = reader.ReadUInt64();
                    break;
                case CborReaderState.ByteString:
                    reader.ReadByteStringSegment(out offset, out length);
                    _offsets[key] = offset;
                    _lengths[key] = length;
                    break;
                case CborReaderState.TextString:
                    reader.ReadTextStringSegment(out offset, out length);
                    _offsets[key] = offset;
                    _lengths[key] = length;
                    break;
                default:
                    // Anything else is kept as its whole encoding, validated as it is skipped.
                    reader.ReadEncodedValueSegment(out offset, out length);
                    _offsets[key] = offset;
                    _lengths[key] = length;
                    break;
            }

            _types[key] = type;
            _present[key] = true;
        }

        private void Expect(int key, string name, CborReaderState expected, string expectedText)
        {
            Require(key, name);
            if (_types[key] != expected)
            {
                throw Invalid(key, name, "is not " + expectedText);
            }
        }

        private static string Range(int min, int max)
        {
            return min == max ? min.ToString() : min.ToString() + " to " + max.ToString();
        }
    }
}
