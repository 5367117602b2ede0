namespace IoTSec.Firmware.Ota
{
    /// <summary>Big-endian integers and ASCII text in the OTA records and the bundle format.</summary>
    internal static class OtaBytes
    {
        public static void PutUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 8);
            buffer[offset + 1] = (byte)value;
        }

        public static int GetUInt16(byte[] buffer, int offset)
        {
            return (buffer[offset] << 8) | buffer[offset + 1];
        }

        public static void PutUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        public static uint GetUInt32(byte[] buffer, int offset)
        {
            return ((uint)buffer[offset] << 24) | ((uint)buffer[offset + 1] << 16) | ((uint)buffer[offset + 2] << 8) | buffer[offset + 3];
        }

        public static void PutUInt64(byte[] buffer, int offset, ulong value)
        {
            PutUInt32(buffer, offset, (uint)(value >> 32));
            PutUInt32(buffer, offset + 4, (uint)value);
        }

        public static ulong GetUInt64(byte[] buffer, int offset)
        {
            return ((ulong)GetUInt32(buffer, offset) << 32) | GetUInt32(buffer, offset + 4);
        }

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

        public static bool SameBytes(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
