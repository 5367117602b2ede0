namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// Decodes the character string types that X.509 names use (RFC 5280 §4.1.2.4
    /// DirectoryString, plus the IA5String, VisibleString and NumericString seen in older certificates) to
    /// .NET text. Written by hand because nanoFramework's mscorlib has no System.Text.Encoding.
    /// </summary>
    internal static class DerText
    {
        private const byte NumericString = 0x12;
        private const byte VisibleString = 0x1A;

        /// <summary>Whether <see cref="Decode"/> knows the string type with this tag.</summary>
        internal static bool IsCharacterStringTag(byte tag)
        {
            switch (tag)
            {
                case DerTag.Utf8String:
                case DerTag.PrintableString:
                case DerTag.Ia5String:
                case VisibleString:
                case NumericString:
                case DerTag.TeletexString:
                case DerTag.BmpString:
                case DerTag.UniversalString:
                    return true;
                default:
                    return false;
            }
        }

        /// <summary>Decodes the content of a character string element.</summary>
        internal static string Decode(byte tag, byte[] buffer, int start, int length, int errorOffset)
        {
            switch (tag)
            {
                case DerTag.Utf8String:
                    return DecodeUtf8(buffer, start, length, errorOffset);
                case DerTag.PrintableString:
                case DerTag.Ia5String:
                case VisibleString:
                case NumericString:
                    // The exact PrintableString alphabet is not enforced: CAs long put '*'
                    // and '@' in it, and every TLS stack reads it as ASCII regardless.
                    return DecodeSingleByte(buffer, start, length, 0x7F, errorOffset);
                case DerTag.TeletexString:
                    // T.61 in theory; Latin-1 in practice (what OpenSSL shows).
                    return DecodeSingleByte(buffer, start, length, 0xFF, errorOffset);
                case DerTag.BmpString:
                    return DecodeBmp(buffer, start, length, errorOffset);
                case DerTag.UniversalString:
                    return DecodeUniversal(buffer, start, length, errorOffset);
                default:
                    throw new DerException(DerError.UnexpectedTag, errorOffset, "expected a character string, found tag 0x" + DerReader.Hex(tag));
            }
        }

        private static string DecodeSingleByte(byte[] buffer, int start, int length, int max, int errorOffset)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                int b = buffer[start + i];
                if (b > max)
                {
                    throw new DerException(DerError.InvalidString, errorOffset, "byte 0x" + DerReader.Hex((byte)b) + " not allowed in this string type");
                }

                chars[i] = (char)b;
            }

            return new string(chars, 0, length);
        }

        private static string DecodeBmp(byte[] buffer, int start, int length, int errorOffset)
        {
            if ((length & 1) != 0)
            {
                throw new DerException(DerError.InvalidString, errorOffset, "BMPString of odd length");
            }

            var chars = new char[length / 2];
            for (int i = 0; i < chars.Length; i++)
            {
                int unit = (buffer[start + (2 * i)] << 8) | buffer[start + (2 * i) + 1];

                // BMPString is UCS-2: code points of the Basic Multilingual Plane only.
                if (unit >= 0xD800 && unit <= 0xDFFF)
                {
                    throw new DerException(DerError.InvalidString, errorOffset, "surrogate in a BMPString");
                }

                chars[i] = (char)unit;
            }

            return new string(chars, 0, chars.Length);
        }

        private static string DecodeUniversal(byte[] buffer, int start, int length, int errorOffset)
        {
            if ((length & 3) != 0)
            {
                throw new DerException(DerError.InvalidString, errorOffset, "UniversalString length not a multiple of 4");
            }

            var chars = new char[length / 2];
            int used = 0;
            for (int p = start; p < start + length; p += 4)
            {
                if (buffer[p] != 0)
                {
                    throw new DerException(DerError.InvalidString, errorOffset, "code point beyond U+10FFFF");
                }

                int cp = (buffer[p + 1] << 16) | (buffer[p + 2] << 8) | buffer[p + 3];
                used = AppendCodePoint(chars, used, cp, errorOffset);
            }

            return new string(chars, 0, used);
        }

        /// <summary>Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.</summary>
        private static string DecodeUtf8(byte[] buffer, int start, int length, int errorOffset)
        {
            // Each code point yields at most as many UTF-16 units as it has bytes.
            var chars = new char[length];
            int used = 0;
            int p = start;
            int end = start + length;
            while (p < end)
            {
                int b = buffer[p++];
                int cp;
                int more;
                int min;
                if (b < 0x80)
                {
                    chars[used++] = (char)b;
                    continue;
                }
                else if (b >= 0xC2 && b <= 0xDF)
                {
                    cp = b & 0x1F;
                    more = 1;
                    min = 0x80;
                }
                else if (b >= 0xE0 && b <= 0xEF)
                {
                    cp = b & 0x0F;
                    more = 2;
                    min = 0x800;
                }
                else if (b >= 0xF0 && b <= 0xF4)
                {
                    cp = b & 0x07;
                    more = 3;
                    min = 0x10000;
                }
                else
                {
                    throw new DerException(DerError.InvalidString, errorOffset, "invalid UTF-8 lead byte");
                }

                if (more > end - p)
                {
                    throw new DerException(DerError.InvalidString, errorOffset, "UTF-8 sequence cut short");
                }

                for (int k = 0; k < more; k++)
                {
                    int c = buffer[p++];
                    if ((c & 0xC0) != 0x80)
                    {
                        throw new DerException(DerError.InvalidString, errorOffset, "invalid UTF-8 continuation byte");
                    }

                    cp = (cp << 6) | (c & 0x3F);
                }

                if (cp < min)
                {
                    throw new DerException(DerError.InvalidString, errorOffset, "overlong UTF-8 sequence");
                }

                used = AppendCodePoint(chars, used, cp, errorOffset);
            }

            return new string(chars, 0, used);
        }

        private static int AppendCodePoint(char[] chars, int used, int cp, int errorOffset)
        {
            if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            {
                throw new DerException(DerError.InvalidString, errorOffset, "not a Unicode scalar value");
            }

            if (cp < 0x10000)
            {
                chars[used++] = (char)cp;
            }
            else
            {
                cp -= 0x10000;
                chars[used++] = (char)(0xD800 + (cp >> 10));
                chars[used++] = (char)(0xDC00 + (cp & 0x3FF));
            }

            return used;
        }
    }
}
