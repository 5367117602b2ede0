namespace IoTSec.Protocol.Der
{
    /// <summary>Decodes the content octets of an OBJECT IDENTIFIER (X.690 §8.19) to dotted-decimal text.</summary>
    internal static class DerOid
    {
        /// <summary>Decodes OID content octets.</summary>
        /// <param name="buffer">Array holding the content.</param>
        /// <param name="start">Index of the first content octet.</param>
        /// <param name="length">Number of content octets.</param>
        /// <param name="errorOffset">Offset reported in a <see cref="DerException"/> (the element's tag).</param>
        /// <returns>Dotted-decimal text such as "2.5.29.19".</returns>
        internal static string Decode(byte[] buffer, int start, int length, int errorOffset)
        {
            if (length == 0)
            {
                throw new DerException(DerError.InvalidOid, errorOffset, "empty OBJECT IDENTIFIER (X.690 §8.19.2)");
            }

            if ((buffer[start + length - 1] & 0x80) != 0)
            {
                throw new DerException(DerError.InvalidOid, errorOffset, "OBJECT IDENTIFIER ends inside a subidentifier");
            }

            // Each content octet carries 7 bits: a k-octet arc has at most 3k decimal digits,
            // plus one dot per arc, plus the split of the first subidentifier into two arcs
            // ("2." and at most one more digit). 4 chars per octet + 4 is therefore enough,
            // and building into one array keeps a long OID linear in time.
            var text = new char[(length * 4) + 4];
            int used = 0;
            bool first = true;
            int end = start + length;
            int i = start;
            while (i < end)
            {
                // X.690 §8.19.2: a subidentifier is encoded in the fewest octets, so it never
                // starts with 0x80 (a leading zero group).
                if (buffer[i] == 0x80)
                {
                    throw new DerException(DerError.InvalidOid, errorOffset, "subidentifier with a leading 0x80 octet");
                }

                ulong arc = 0;
                while (true)
                {
                    if (arc > (ulong.MaxValue >> 7))
                    {
                        throw new DerException(DerError.InvalidOid, errorOffset, "arc beyond 64 bits");
                    }

                    byte b = buffer[i++];
                    arc = (arc << 7) | (uint)(b & 0x7F);
                    if ((b & 0x80) == 0)
                    {
                        break;
                    }
                }

                if (first)
                {
                    // X.690 §8.19.4: the first subidentifier is 40 * X + Y, X in {0, 1, 2}.
                    ulong top = arc < 40 ? 0UL : (arc < 80 ? 1UL : 2UL);
                    used = AppendDecimal(text, used, top);
                    text[used++] = '.';
                    used = AppendDecimal(text, used, arc - (top * 40));
                    first = false;
                }
                else
                {
                    text[used++] = '.';
                    used = AppendDecimal(text, used, arc);
                }
            }

            return new string(text, 0, used);
        }

        private static int AppendDecimal(char[] text, int used, ulong value)
        {
            int digits = 1;
            for (ulong v = value / 10; v != 0; v /= 10)
            {
                digits++;
            }

            for (int p = used + digits - 1; p >= used; p--)
            {
                text[p] = (char)('0' + (int)(value % 10));
                value /= 10;
            }

            return used + digits;
        }
    }
}
