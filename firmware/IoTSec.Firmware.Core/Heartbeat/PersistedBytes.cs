namespace IoTSec.Firmware.Heartbeat
{
    /// <summary>Big-endian integers in the small records of the heartbeat and command areas.</summary>
    internal static class PersistedBytes
    {
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
