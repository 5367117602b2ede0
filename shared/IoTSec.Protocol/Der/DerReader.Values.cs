using System;

namespace IoTSec.Protocol.Der
{
    /// <content>The readers of primitive values: each checks the DER rules of its type (X.690 §8, §11).</content>
    public sealed partial class DerReader
    {
        /// <summary>Reads an INTEGER and returns its content octets: big-endian two's complement, as encoded.</summary>
        /// <returns>A copy of the content octets (never empty).</returns>
        public byte[] ReadIntegerBytes()
        {
            int at = _position;
            int length;
            int start = ReadPrimitive(DerTag.Integer, out length);
            CheckInteger(at, start, length);
            return Copy(start, length);
        }

        /// <summary>Reads an INTEGER that must fit in a signed 32-bit value.</summary>
        /// <returns>The value.</returns>
        public int ReadInt32()
        {
            int at = _position;
            int length;
            int start = ReadPrimitive(DerTag.Integer, out length);
            CheckInteger(at, start, length);
            if (length > 4)
            {
                throw new DerException(DerError.IntegerOutOfRange, at, "INTEGER of " + length.ToString() + " octets does not fit 32 bits");
            }

            // Sign-extend from the first octet, then shift the rest in.
            int value = (sbyte)_buffer[start];
            for (int i = 1; i < length; i++)
            {
                value = (value << 8) | _buffer[start + i];
            }

            return value;
        }

        /// <summary>Reads a BOOLEAN. DER allows only 0x00 (false) and 0xFF (true) (X.690 §11.1).</summary>
        /// <returns>The value.</returns>
        public bool ReadBoolean()
        {
            int at = _position;
            int length;
            int start = ReadPrimitive(DerTag.Boolean, out length);
            if (length != 1)
            {
                throw new DerException(DerError.InvalidBoolean, at, "BOOLEAN of " + length.ToString() + " octets");
            }

            byte value = _buffer[start];
            if (value != 0x00 && value != 0xFF)
            {
                throw new DerException(DerError.InvalidBoolean, at, "BOOLEAN 0x" + Hex(value) + " is neither 0x00 nor 0xFF");
            }

            return value == 0xFF;
        }

        /// <summary>Reads a NULL, which has no content.</summary>
        public void ReadNull()
        {
            int at = _position;
            int length;
            ReadPrimitive(DerTag.Null, out length);
            if (length != 0)
            {
                throw new DerException(DerError.InvalidNull, at, "NULL with content");
            }
        }

        /// <summary>Reads an OCTET STRING (primitive form only, as DER requires).</summary>
        /// <returns>A copy of the content octets.</returns>
        public byte[] ReadOctetString()
        {
            int length;
            int start = ReadPrimitive(DerTag.OctetString, out length);
            return Copy(start, length);
        }

        /// <summary>Reads a BIT STRING (universal tag).</summary>
        /// <param name="unusedBits">Number of unused bits in the last octet, 0 to 7.</param>
        /// <returns>A copy of the bit string's octets, without the unused-bits octet.</returns>
        public byte[] ReadBitString(out int unusedBits)
        {
            return ReadBitString(DerTag.BitString, out unusedBits);
        }

        /// <summary>Reads a BIT STRING under the given tag (for IMPLICIT tagging, such as the unique identifiers [1] and [2]).</summary>
        /// <param name="tag">The identifier octet required.</param>
        /// <param name="unusedBits">Number of unused bits in the last octet, 0 to 7.</param>
        /// <returns>A copy of the bit string's octets, without the unused-bits octet.</returns>
        public byte[] ReadBitString(byte tag, out int unusedBits)
        {
            int at = _position;
            int length;
            int start = ReadPrimitive(tag, out length);
            if (length == 0)
            {
                throw new DerException(DerError.InvalidBitString, at, "BIT STRING without its unused-bits octet");
            }

            unusedBits = _buffer[start];
            if (unusedBits > 7)
            {
                throw new DerException(DerError.InvalidBitString, at, "BIT STRING with " + unusedBits.ToString() + " unused bits");
            }

            if (unusedBits != 0)
            {
                if (length == 1)
                {
                    throw new DerException(DerError.InvalidBitString, at, "empty BIT STRING with unused bits (X.690 §8.6.2.3)");
                }

                // X.690 §11.2.1: in DER the unused bits are zero.
                int mask = (1 << unusedBits) - 1;
                if ((_buffer[start + length - 1] & mask) != 0)
                {
                    throw new DerException(DerError.InvalidBitString, at, "BIT STRING padding bits are not zero");
                }
            }

            return Copy(start + 1, length - 1);
        }

        /// <summary>Reads an OBJECT IDENTIFIER.</summary>
        /// <returns>The dotted-decimal form, such as "1.2.840.10045.2.1".</returns>
        public string ReadObjectIdentifier()
        {
            int at = _position;
            int length;
            int start = ReadPrimitive(DerTag.ObjectIdentifier, out length);
            return DerOid.Decode(_buffer, start, length, at);
        }

        /// <summary>
        /// Reads an X.509 Time: a UTCTime or a GeneralizedTime in the forms RFC 5280 §4.1.2.5
        /// prescribes (seconds present, 'Z', no fractions).
        /// </summary>
        /// <returns>The instant, as a UTC <see cref="DateTime"/>.</returns>
        public DateTime ReadTime()
        {
            int at = _position;
            byte tag = PeekTag();
            if (tag != DerTag.UtcTime && tag != DerTag.GeneralizedTime)
            {
                throw new DerException(DerError.UnexpectedTag, at, "expected UTCTime or GeneralizedTime, found tag 0x" + Hex(tag));
            }

            int length;
            int start = ReadPrimitive(tag, out length);
            return tag == DerTag.UtcTime
                ? DerTime.DecodeUtcTime(_buffer, start, length, at)
                : DerTime.DecodeGeneralizedTime(_buffer, start, length, at);
        }

        /// <summary>
        /// Reads a character string of one of the types X.509 names use (DirectoryString's
        /// choices, plus IA5String) and decodes it.
        /// </summary>
        /// <returns>The text.</returns>
        public string ReadCharacterString()
        {
            int at = _position;
            byte tag = PeekTag();
            if (!DerText.IsCharacterStringTag(tag))
            {
                throw new DerException(DerError.UnexpectedTag, at, "expected a character string, found tag 0x" + Hex(tag));
            }

            int length;
            int start = ReadPrimitive(tag, out length);
            return DerText.Decode(tag, _buffer, start, length, at);
        }

        private void CheckInteger(int at, int start, int length)
        {
            if (length == 0)
            {
                throw new DerException(DerError.InvalidInteger, at, "INTEGER without content octets (X.690 §8.3.1)");
            }

            if (length > 1)
            {
                // X.690 §8.3.2: the first nine bits must not be all zeros or all ones.
                byte first = _buffer[start];
                byte second = _buffer[start + 1];
                if ((first == 0x00 && second < 0x80) || (first == 0xFF && second >= 0x80))
                {
                    throw new DerException(DerError.NonMinimalInteger, at, "INTEGER with a redundant leading octet");
                }
            }
        }
    }
}
