using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// Reads one provisioning payload: a map with small unsigned integer keys, in the
    /// deterministic encoding (RFC 8949 §4.2.1), whose values are checked for type and range
    /// as they are read. Every refusal is a <see cref="ProvisioningPayloadException"/>;
    /// <see cref="CborException"/> never escapes.
    /// </summary>
    /// <remarks>
    /// Deterministic encoding means the keys arrive in increasing order without duplicates,
    /// so which keys were seen is a bit mask and there is exactly one valid encoding of each
    /// payload: the bytes the tool sends are the bytes the device stages and hashes.
    /// </remarks>
    internal sealed class PayloadReader
    {
        // Keys above this are never defined; they only need to be told apart from defined ones.
        private const int LargestDefinedKey = 31;

        private readonly byte[] _payload;
        private readonly CborReader _reader;
        private readonly string _what;
        private uint _seen;

        /// <summary>Reads <paramref name="payload"/>, named <paramref name="what"/> in messages.</summary>
        /// <param name="payload">The payload bytes (not copied).</param>
        /// <param name="what">What the payload is, e.g. "Info answer".</param>
        internal PayloadReader(byte[] payload, string what)
        {
            _payload = payload;
            _reader = new CborReader(payload, 0, payload.Length, CborConformance.Deterministic);
            _what = what;
        }

        /// <summary>What the payload is, for messages.</summary>
        internal string What
        {
            get { return _what; }
        }

        /// <summary>Opens the map that every payload is, and returns its pair count.</summary>
        /// <returns>The number of key/value pairs (bounded by the input).</returns>
        internal int ReadStartMap()
        {
            try
            {
                return _reader.ReadStartMap();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what);
            }
        }

        /// <summary>Opens an array and returns its item count, refusing more than <paramref name="max"/>.</summary>
        /// <param name="field">The field, for messages.</param>
        /// <param name="min">Fewest items allowed.</param>
        /// <param name="max">Most items allowed.</param>
        /// <returns>The item count.</returns>
        internal int ReadStartArray(string field, int min, int max)
        {
            int count;
            try
            {
                count = _reader.ReadStartArray();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what + " " + field);
            }

            if (count < min || count > max)
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.OutOfRange,
                    _what + ": " + field + " holds " + count.ToString() + " items, allowed " + min.ToString() + " to " + max.ToString());
            }

            return count;
        }

        /// <summary>Closes the current map.</summary>
        internal void ReadEndMap()
        {
            try
            {
                _reader.ReadEndMap();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what);
            }
        }

        /// <summary>Closes the current array.</summary>
        internal void ReadEndArray()
        {
            try
            {
                _reader.ReadEndArray();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what);
            }
        }

        /// <summary>Requires the payload to be fully consumed (no trailing bytes).</summary>
        internal void ReadEnd()
        {
            try
            {
                _reader.ReadEnd();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what);
            }
        }

        /// <summary>Starts tracking the keys of a new map (nested maps each start again).</summary>
        internal void BeginKeys()
        {
            _seen = 0;
        }

        /// <summary>Reads a map key: an unsigned integer. Keys above 31 come back as int.MaxValue (never defined).</summary>
        /// <returns>The key.</returns>
        internal int ReadKey()
        {
            ulong key;
            try
            {
                key = _reader.ReadUInt64();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what + " map key (keys are unsigned integers)");
            }

            if (key > LargestDefinedKey)
            {
                return int.MaxValue;
            }

            _seen |= 1u << (int)key;
            return (int)key;
        }

        /// <summary>Refuses a key the payload does not define (requests are strict).</summary>
        /// <param name="key">The key read.</param>
        /// <returns>The exception to throw.</returns>
        internal ProvisioningPayloadException UnknownField(int key)
        {
            string name = key == int.MaxValue ? "above 31" : key.ToString();
            return new ProvisioningPayloadException(ProvisioningPayloadError.UnknownField, _what + ": key " + name + " is not defined");
        }

        /// <summary>Refuses the map unless every key in <paramref name="required"/> was seen.</summary>
        /// <param name="required">Bit n set: key n is required.</param>
        internal void RequireKeys(uint required)
        {
            uint missing = required & ~_seen;
            if (missing == 0)
            {
                return;
            }

            int key = 0;
            while ((missing & (1u << key)) == 0)
            {
                key++;
            }

            throw new ProvisioningPayloadException(ProvisioningPayloadError.MissingField, _what + ": required key " + key.ToString() + " is missing");
        }

        /// <summary>Skips a value (an answer's key that a newer device added).</summary>
        internal void SkipValue()
        {
            try
            {
                _reader.SkipValue();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what);
            }
        }

        /// <summary>Reads an unsigned integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
        /// <param name="field">The field, for messages.</param>
        /// <param name="min">Smallest value allowed.</param>
        /// <param name="max">Largest value allowed.</param>
        /// <returns>The value.</returns>
        internal ulong ReadUInt(string field, ulong min, ulong max)
        {
            ulong value;
            try
            {
                value = _reader.ReadUInt64();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what + " " + field);
            }

            if (value < min || value > max)
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.OutOfRange,
                    _what + ": " + field + " is " + value.ToString() + ", allowed " + min.ToString() + " to " + max.ToString());
            }

            return value;
        }

        /// <summary>Reads an unsigned integer in [<paramref name="min"/>, <paramref name="max"/>] as an int.</summary>
        /// <param name="field">The field, for messages.</param>
        /// <param name="min">Smallest value allowed (at least 0).</param>
        /// <param name="max">Largest value allowed.</param>
        /// <returns>The value.</returns>
        internal int ReadInt(string field, int min, int max)
        {
            return (int)ReadUInt(field, (ulong)min, (ulong)max);
        }

        /// <summary>Reads false or true.</summary>
        /// <param name="field">The field, for messages.</param>
        /// <returns>The value.</returns>
        internal bool ReadBool(string field)
        {
            try
            {
                return _reader.ReadBoolean();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what + " " + field);
            }
        }

        /// <summary>Reads a byte string of <paramref name="minLength"/> to <paramref name="maxLength"/> bytes; the length is checked before the copy is allocated.</summary>
        /// <param name="field">The field, for messages.</param>
        /// <param name="minLength">Shortest allowed.</param>
        /// <param name="maxLength">Longest allowed.</param>
        /// <returns>A copy of the content.</returns>
        internal byte[] ReadBytes(string field, int minLength, int maxLength)
        {
            int offset;
            int length;
            try
            {
                _reader.ReadByteStringSegment(out offset, out length);
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what + " " + field);
            }

            if (length < minLength || length > maxLength)
            {
                string allowed = minLength == maxLength ? minLength.ToString() : minLength.ToString() + " to " + maxLength.ToString();
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.OutOfRange,
                    _what + ": " + field + " is " + length.ToString() + " bytes, allowed " + allowed);
            }

            byte[] copy = new byte[length];
            System.Array.Copy(_payload, offset, copy, 0, length);
            return copy;
        }

        /// <summary>Reads a text string (well-formed UTF-8). Its length is bounded by the payload, which is bounded by the frame or item limit.</summary>
        /// <param name="field">The field, for messages.</param>
        /// <returns>The text; the caller checks its length and character set.</returns>
        internal string ReadText(string field)
        {
            try
            {
                return _reader.ReadTextString();
            }
            catch (CborException e)
            {
                throw ProvisioningPayloadException.FromCbor(e, _what + " " + field);
            }
        }
    }
}
