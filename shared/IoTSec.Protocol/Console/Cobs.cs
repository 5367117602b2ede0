namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Consistent Overhead Byte Stuffing (S. Cheshire, M. Baker, "Consistent Overhead Byte
    /// Stuffing", IEEE/ACM Transactions on Networking 7(2), 1999): rewrites a frame so it
    /// contains no zero byte, at a cost of at most one byte per 254 plus one, so that 0x00
    /// can delimit frames on the serial line. After a dropped or corrupted byte the
    /// receiver resynchronises at the next 0x00, which no encoded frame contains.
    /// </summary>
    /// <remarks>
    /// Each block is a code byte n (1–255) followed by n−1 non-zero data bytes; a block with
    /// n &lt; 255 stands for its data followed by a zero, except at the very end of the
    /// frame. The encoder is the paper's canonical one (no trailing empty block after a
    /// final full 254-byte block); the decoder also accepts that non-canonical trailing 0x01.
    /// </remarks>
    public static class Cobs
    {
        /// <summary>The largest encoded length of <paramref name="length"/> input bytes (without the delimiter).</summary>
        /// <param name="length">Number of bytes to encode (non-negative).</param>
        /// <returns><paramref name="length"/> + <paramref name="length"/>/254 + 1.</returns>
        public static int MaxEncodedLength(int length)
        {
            return length + (length / 254) + 1;
        }

        /// <summary>Encodes bytes into a new array (without the 0x00 delimiter).</summary>
        /// <param name="data">The bytes to encode.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The encoded bytes; none is zero.</returns>
        public static byte[] Encode(byte[] data, int offset, int count)
        {
            CheckRange(data, offset, count);
            var buffer = new byte[MaxEncodedLength(count)];
            int written = Encode(data, offset, count, buffer, 0);
            if (written == buffer.Length)
            {
                return buffer;
            }

            var exact = new byte[written];
            System.Array.Copy(buffer, exact, written);
            return exact;
        }

        /// <summary>Encodes bytes into a caller's buffer (no allocation; the firmware's path).</summary>
        /// <param name="data">The bytes to encode.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <param name="destination">Receives the encoded bytes; needs <see cref="MaxEncodedLength"/> bytes of room.</param>
        /// <param name="destinationOffset">Where to write the first encoded byte.</param>
        /// <returns>The number of encoded bytes written.</returns>
        /// <exception cref="System.ArgumentException"><paramref name="destination"/> is too small.</exception>
        public static int Encode(byte[] data, int offset, int count, byte[] destination, int destinationOffset)
        {
            CheckRange(data, offset, count);
            if (destination == null)
            {
                throw new System.ArgumentNullException("destination");
            }

            if (destinationOffset < 0 || destinationOffset > destination.Length - MaxEncodedLength(count))
            {
                throw new System.ArgumentException("destination too small for the encoded bytes", "destination");
            }

            int codeIndex = destinationOffset;
            int write = destinationOffset + 1;
            byte code = 1;
            int end = offset + count;
            for (int read = offset; read < end; read++)
            {
                byte b = data[read];
                if (b == 0)
                {
                    destination[codeIndex] = code;
                    codeIndex = write++;
                    code = 1;
                    continue;
                }

                destination[write++] = b;
                code++;

                // A full block (254 data bytes) implies no zero; open the next block only if
                // input remains, which keeps the encoding canonical.
                if (code == 0xFF && read + 1 < end)
                {
                    destination[codeIndex] = code;
                    codeIndex = write++;
                    code = 1;
                }
            }

            destination[codeIndex] = code;
            return write - destinationOffset;
        }

        /// <summary>Decodes one COBS-encoded frame (without its delimiter) into a new array.</summary>
        /// <param name="encoded">The encoded bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The decoded bytes.</returns>
        /// <exception cref="ConsoleProtocolException">The input is malformed (<see cref="ConsoleProtocolError.CobsZeroByte"/>, <see cref="ConsoleProtocolError.CobsOverrun"/>).</exception>
        public static byte[] Decode(byte[] encoded, int offset, int count)
        {
            CheckRange(encoded, offset, count);

            // Decoded output is never longer than the input minus its first code byte.
            var buffer = new byte[count > 0 ? count - 1 : 0];
            int written = Decode(encoded, offset, count, buffer, 0);
            if (written == buffer.Length)
            {
                return buffer;
            }

            var exact = new byte[written];
            System.Array.Copy(buffer, exact, written);
            return exact;
        }

        /// <summary>Decodes one COBS-encoded frame into a caller's buffer (no allocation).</summary>
        /// <param name="encoded">The encoded bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <param name="destination">Receives the decoded bytes; <paramref name="count"/> − 1 bytes of room always suffice.</param>
        /// <param name="destinationOffset">Where to write the first decoded byte.</param>
        /// <returns>The number of decoded bytes written.</returns>
        /// <exception cref="ConsoleProtocolException">The input is malformed.</exception>
        /// <exception cref="System.ArgumentException"><paramref name="destination"/> is too small.</exception>
        public static int Decode(byte[] encoded, int offset, int count, byte[] destination, int destinationOffset)
        {
            CheckRange(encoded, offset, count);
            if (destination == null)
            {
                throw new System.ArgumentNullException("destination");
            }

            if (destinationOffset < 0 || destinationOffset > destination.Length - (count > 0 ? count - 1 : 0))
            {
                throw new System.ArgumentException("destination too small for the decoded bytes", "destination");
            }

            if (count == 0)
            {
                throw new ConsoleProtocolException(ConsoleProtocolError.CobsOverrun, "COBS frame is empty: its first code byte is missing");
            }

            int read = offset;
            int end = offset + count;
            int write = destinationOffset;
            while (read < end)
            {
                int code = encoded[read];
                if (code == 0)
                {
                    throw new ConsoleProtocolException(ConsoleProtocolError.CobsZeroByte, "COBS frame contains a zero byte at offset " + (read - offset).ToString());
                }

                if (code - 1 > end - read - 1)
                {
                    throw new ConsoleProtocolException(
                        ConsoleProtocolError.CobsOverrun,
                        "COBS code " + code.ToString() + " at offset " + (read - offset).ToString() + " points past the end of the " + count.ToString() + "-byte frame");
                }

                read++;
                for (int i = 1; i < code; i++)
                {
                    byte b = encoded[read++];
                    if (b == 0)
                    {
                        throw new ConsoleProtocolException(ConsoleProtocolError.CobsZeroByte, "COBS frame contains a zero byte at offset " + (read - 1 - offset).ToString());
                    }

                    destination[write++] = b;
                }

                // A short block stands for its data plus a zero, except at the frame's end.
                if (code < 0xFF && read < end)
                {
                    destination[write++] = 0;
                }
            }

            return write - destinationOffset;
        }

        private static void CheckRange(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new System.ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }
        }
    }
}
