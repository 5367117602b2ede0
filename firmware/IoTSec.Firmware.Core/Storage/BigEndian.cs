namespace IoTSec.Firmware.Storage
{
    /// <summary>
    /// Big-endian integers in the firmware's persisted records and formats (mscorlib v1 has no
    /// BinaryPrimitives): one copy for every area.
    /// </summary>
    internal static class BigEndian
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
    }
}
