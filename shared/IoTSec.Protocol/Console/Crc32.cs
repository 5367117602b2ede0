namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// CRC-32 as in IEEE 802.3, zlib and PNG: reflected polynomial 0xEDB88320, initial value
    /// and final XOR 0xFFFFFFFF. The check value of the ASCII string "123456789" is 0xCBF43926.
    /// </summary>
    /// <remarks>
    /// It guards console frames against line noise, not against an attacker: anyone who can
    /// write to the serial line can also recompute it. Authenticity of what is provisioned is
    /// the job of the signatures carried in the payloads.
    /// </remarks>
    public static class Crc32
    {
        /// <summary>The reflected generator polynomial of IEEE 802.3.</summary>
        public const uint Polynomial = 0xEDB88320;

        // One 1 KB table, built once: byte-at-a-time lookup is 8 times fewer steps than the
        // bitwise loop, which matters in the nanoFramework interpreter.
        private static readonly uint[] Table = BuildTable();

        /// <summary>Computes the CRC-32 of <paramref name="count"/> bytes of <paramref name="data"/>.</summary>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The finished CRC-32 value.</returns>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Update(0, data, offset, count);
        }

        /// <summary>
        /// Extends a finished CRC-32 value with more bytes, with zlib's <c>crc32(crc, buf, len)</c>
        /// semantics: <c>Update(Compute(a), b)</c> equals the CRC of a followed by b, and
        /// <c>Update(0, ...)</c> equals <see cref="Compute"/>.
        /// </summary>
        /// <param name="crc">The CRC of the preceding bytes (0 for none).</param>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The finished CRC-32 value of all the bytes.</returns>
        /// <exception cref="System.ArgumentNullException"><paramref name="data"/> is null.</exception>
        /// <exception cref="System.ArgumentOutOfRangeException">The range lies outside <paramref name="data"/>.</exception>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new System.ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }

            uint c = ~crc;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                c = Table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
            }

            return ~c;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
