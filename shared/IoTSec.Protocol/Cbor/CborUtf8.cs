namespace IoTSec.Protocol.Cbor
{
    /// <summary>
    /// UTF-8 validation and transcoding by hand: the nanoFramework mscorlib has no
    /// System.Text.Encoding, and .NET's decoder substitutes U+FFFD where RFC 8949 §3.1
    /// requires a text string to be valid UTF-8. Follows the well-formed byte sequences of
    /// RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF.
    /// </summary>
    internal static class CborUtf8
    {
        // Stands in for a destination when only validating (no nullable annotations: the
        // nanoFramework build compiles without them).
        private static readonly char[] NoDestination = new char[0];

        /// <summary>Validates bytes [start, end) as UTF-8.</summary>
        internal static void Validate(byte[] source, int start, int end)
        {
            Transcode(source, start, end, NoDestination, false);
        }

        /// <summary>
        /// Validates bytes [start, end) and writes their UTF-16 form into
        /// <paramref name="destination"/>, which needs end - start chars at most.
        /// </summary>
        /// <returns>The number of UTF-16 code units written.</returns>
        internal static int Decode(byte[] source, int start, int end, char[] destination)
        {
            return Transcode(source, start, end, destination, true);
        }

        private static int Transcode(byte[] source, int start, int end, char[] destination, bool write)
        {
            int count = 0;
            int i = start;
            while (i < end)
            {
                int b0 = source[i];
                if (b0 < 0x80)
                {
                    if (write)
                    {
                        destination[count] = (char)b0;
                    }

                    count++;
                    i++;
                    continue;
                }

                int codePoint;
                int length;
                int min2 = 0x80;
                int max2 = 0xBF;
                if (b0 < 0xC2)
                {
                    // 0x80-0xBF: a continuation byte with no lead; 0xC0/0xC1: overlong ASCII.
                    throw Invalid(i, "invalid lead byte");
                }
                else if (b0 < 0xE0)
                {
                    length = 2;
                    codePoint = b0 & 0x1F;
                }
                else if (b0 < 0xF0)
                {
                    length = 3;
                    codePoint = b0 & 0x0F;
                    if (b0 == 0xE0)
                    {
                        min2 = 0xA0; // below is an overlong 3-byte form
                    }
                    else if (b0 == 0xED)
                    {
                        max2 = 0x9F; // above are the surrogates U+D800..U+DFFF
                    }
                }
                else if (b0 < 0xF5)
                {
                    length = 4;
                    codePoint = b0 & 0x07;
                    if (b0 == 0xF0)
                    {
                        min2 = 0x90; // below is an overlong 4-byte form
                    }
                    else if (b0 == 0xF4)
                    {
                        max2 = 0x8F; // above is beyond U+10FFFF
                    }
                }
                else
                {
                    throw Invalid(i, "invalid lead byte");
                }

                if (end - i < length)
                {
                    throw Invalid(i, "sequence cut short by the end of the string");
                }

                int b1 = source[i + 1];
                if (b1 < min2 || b1 > max2)
                {
                    throw Invalid(i + 1, "invalid continuation byte");
                }

                codePoint = (codePoint << 6) | (b1 & 0x3F);
                for (int k = 2; k < length; k++)
                {
                    int bk = source[i + k];
                    if ((bk & 0xC0) != 0x80)
                    {
                        throw Invalid(i + k, "invalid continuation byte");
                    }

                    codePoint = (codePoint << 6) | (bk & 0x3F);
                }

                if (codePoint < 0x10000)
                {
                    if (write)
                    {
                        destination[count] = (char)codePoint;
                    }

                    count++;
                }
                else
                {
                    if (write)
                    {
                        int v = codePoint - 0x10000;
                        destination[count] = (char)(0xD800 + (v >> 10));
                        destination[count + 1] = (char)(0xDC00 + (v & 0x3FF));
                    }

                    count += 2;
                }

                i += length;
            }

            return count;
        }

        /// <summary>Counts the UTF-8 bytes of <paramref name="text"/>, rejecting unpaired surrogates.</summary>
        /// <param name="text">The string to measure.</param>
        /// <param name="writerOffset">The writer's position, for the error message.</param>
        internal static int GetByteCount(string text, int writerOffset)
        {
            int bytes = 0;
            int n = text.Length;
            for (int i = 0; i < n; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    bytes += 1;
                }
                else if (c < 0x800)
                {
                    bytes += 2;
                }
                else if (c < 0xD800 || c > 0xDFFF)
                {
                    bytes += 3;
                }
                else if (c <= 0xDBFF && i + 1 < n && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    bytes += 4;
                    i++;
                }
                else
                {
                    throw new CborException(CborError.InvalidUtf16, writerOffset, "unpaired surrogate at string index " + i.ToString());
                }
            }

            return bytes;
        }

        /// <summary>Writes the UTF-8 form of <paramref name="text"/>, already checked by <see cref="GetByteCount"/>.</summary>
        /// <returns>The index after the last byte written.</returns>
        internal static int Encode(string text, byte[] destination, int position)
        {
            int n = text.Length;
            for (int i = 0; i < n; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    destination[position++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    destination[position++] = (byte)(0xC0 | (c >> 6));
                    destination[position++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c < 0xD800 || c > 0xDFFF)
                {
                    destination[position++] = (byte)(0xE0 | (c >> 12));
                    destination[position++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    destination[position++] = (byte)(0x80 | (c & 0x3F));
                }
                else
                {
                    int codePoint = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                    destination[position++] = (byte)(0xF0 | (codePoint >> 18));
                    destination[position++] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
                    destination[position++] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                    destination[position++] = (byte)(0x80 | (codePoint & 0x3F));
                }
            }

            return position;
        }

        private static CborException Invalid(int offset, string detail)
        {
            return new CborException(CborError.InvalidUtf8, offset, "text string is not valid UTF-8: " + detail);
        }
    }
}
