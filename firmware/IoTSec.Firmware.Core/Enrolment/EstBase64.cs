using System;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>
    /// EST bodies are base64 (RFC 7030 §4, RFC 8951) in lines: whitespace is dropped, any other
    /// character outside the base64 alphabet is refused rather than skipped, padding only at the end.
    /// </summary>
    internal static class EstBase64
    {
        /// <summary>Decodes <paramref name="count"/> bytes of base64 text from <paramref name="text"/>.</summary>
        public static byte[] Decode(byte[] text, int offset, int count, string what)
        {
            char[] chars = new char[count];
            int length = 0;
            int padding = 0;
            for (int i = offset; i < offset + count; i++)
            {
                byte b = text[i];
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n')
                {
                    continue;
                }

                bool alphabet = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/';
                if (b == '=')
                {
                    padding++;
                }
                else if (!alphabet || padding > 0)
                {
                    throw EnrolmentException.Malformed(what + " is not base64", null);
                }

                chars[length++] = (char)b;
            }

            if (length == 0 || length % 4 != 0 || padding > 2)
            {
                throw EnrolmentException.Malformed(what + " is not whole base64 quanta", null);
            }

            string clean = new string(chars, 0, length);
            Array.Clear(chars, 0, chars.Length);
            return Convert.FromBase64String(clean);
        }
    }
}
