namespace IoTSec.Firmware.Ota
{
    /// <summary>ASCII text in the OTA records and the bundle format (integers: <see cref="Storage.BigEndian"/>).</summary>
    internal static class OtaBytes
    {
        /// <summary>Printable ASCII (0x21-0x7E) to bytes; null when a character is outside it.</summary>
        public static byte[] AsciiBytes(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < (char)0x21 || c > (char)0x7E)
                {
                    return null;
                }

                bytes[i] = (byte)c;
            }

            return bytes;
        }

        /// <summary>Bytes to a string, one character per byte (the caller has checked they are ASCII).</summary>
        public static string AsciiString(byte[] buffer, int offset, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                chars[i] = (char)buffer[offset + i];
            }

            return new string(chars);
        }
    }
}
