namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Encodes and decodes a console frame's bytes before COBS stuffing:
    /// <code>
    /// version(1) | kind(1) | sequence(2, BE) | code(1) | payload length(2, BE) | payload | CRC-32(4, BE)
    /// </code>
    /// The CRC-32 (<see cref="Crc32"/>) covers every byte before it. The decoder checks the
    /// CRC before it trusts any field, and checks every length against the buffer before it
    /// allocates.
    /// </summary>
    public static class ConsoleFrameCodec
    {
        /// <summary>The frame format version this library speaks.</summary>
        public const byte Version = 1;

        /// <summary>Bytes before the payload: version, kind, sequence, code, length.</summary>
        public const int HeaderLength = 7;

        /// <summary>Bytes after the payload: the CRC-32.</summary>
        public const int TrailerLength = 4;

        /// <summary>Largest frame before COBS stuffing.</summary>
        public const int MaxFrameLength = HeaderLength + ConsoleFrame.MaxPayloadLength + TrailerLength;

        /// <summary>Encoded length of a frame with <paramref name="payloadLength"/> bytes of payload.</summary>
        /// <param name="payloadLength">The payload length.</param>
        /// <returns>The frame's length before COBS stuffing.</returns>
        public static int EncodedLength(int payloadLength)
        {
            return HeaderLength + payloadLength + TrailerLength;
        }

        /// <summary>Encodes a frame into a new array.</summary>
        /// <param name="frame">The frame.</param>
        /// <returns>The frame's bytes, CRC included.</returns>
        public static byte[] Encode(ConsoleFrame frame)
        {
            if (frame == null)
            {
                throw new System.ArgumentNullException("frame");
            }

            var buffer = new byte[EncodedLength(frame.PayloadLength)];
            Encode(frame, buffer, 0);
            return buffer;
        }

        /// <summary>Encodes a frame into a caller's buffer.</summary>
        /// <param name="frame">The frame.</param>
        /// <param name="destination">Receives the bytes; needs <see cref="EncodedLength"/> bytes of room.</param>
        /// <param name="offset">Where to write the first byte.</param>
        /// <returns>The number of bytes written.</returns>
        public static int Encode(ConsoleFrame frame, byte[] destination, int offset)
        {
            if (frame == null)
            {
                throw new System.ArgumentNullException("frame");
            }

            if (destination == null)
            {
                throw new System.ArgumentNullException("destination");
            }

            int length = EncodedLength(frame.PayloadLength);
            if (offset < 0 || offset > destination.Length - length)
            {
                throw new System.ArgumentException("destination too small for the frame", "destination");
            }

            int p = offset;
            destination[p++] = Version;
            destination[p++] = (byte)frame.Kind;
            destination[p++] = (byte)(frame.Sequence >> 8);
            destination[p++] = (byte)frame.Sequence;
            destination[p++] = frame.Code;
            destination[p++] = (byte)(frame.PayloadLength >> 8);
            destination[p++] = (byte)frame.PayloadLength;
            System.Array.Copy(frame.GetPayload(), 0, destination, p, frame.PayloadLength);
            p += frame.PayloadLength;
            uint crc = Crc32.Compute(destination, offset, p - offset);
            destination[p++] = (byte)(crc >> 24);
            destination[p++] = (byte)(crc >> 16);
            destination[p++] = (byte)(crc >> 8);
            destination[p++] = (byte)crc;
            return p - offset;
        }

        /// <summary>Decodes one frame (after COBS decoding).</summary>
        /// <param name="data">The frame's bytes.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes: exactly one frame.</param>
        /// <returns>The frame; its payload is a new array.</returns>
        /// <exception cref="ConsoleProtocolException">The bytes are not a valid frame; <see cref="ConsoleProtocolException.Reason"/> says why.</exception>
        public static ConsoleFrame Decode(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new System.ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new System.ArgumentOutOfRangeException("count");
            }

            if (count < HeaderLength + TrailerLength)
            {
                throw new ConsoleProtocolException(
                    ConsoleProtocolError.FrameTooShort,
                    "console frame of " + count.ToString() + " bytes is shorter than its " + (HeaderLength + TrailerLength).ToString() + "-byte header and checksum");
            }

            if (count > MaxFrameLength)
            {
                throw new ConsoleProtocolException(
                    ConsoleProtocolError.FrameTooLarge,
                    "console frame of " + count.ToString() + " bytes exceeds the limit of " + MaxFrameLength.ToString() + " bytes");
            }

            // Checksum first: on a noisy line any other field may be the corrupted one, and a
            // frame whose CRC fails says nothing trustworthy (not even its sequence number).
            int crcAt = offset + count - TrailerLength;
            uint expected = ((uint)data[crcAt] << 24) | ((uint)data[crcAt + 1] << 16) | ((uint)data[crcAt + 2] << 8) | data[crcAt + 3];
            uint actual = Crc32.Compute(data, offset, count - TrailerLength);
            if (expected != actual)
            {
                throw new ConsoleProtocolException(ConsoleProtocolError.ChecksumMismatch, "console frame checksum mismatch (line noise or a truncated frame)");
            }

            byte version = data[offset];
            if (version != Version)
            {
                throw new ConsoleProtocolException(
                    ConsoleProtocolError.UnsupportedVersion,
                    "console frame version " + version.ToString() + " is not supported (this side speaks version " + Version.ToString() + ")");
            }

            byte kind = data[offset + 1];
            ushort sequence = (ushort)((data[offset + 2] << 8) | data[offset + 3]);
            byte code = data[offset + 4];
            int length = (data[offset + 5] << 8) | data[offset + 6];
            if (kind != (byte)ConsoleFrameKind.Request && kind != (byte)ConsoleFrameKind.Response && kind != (byte)ConsoleFrameKind.Error)
            {
                throw new ConsoleProtocolException(ConsoleProtocolError.UnknownFrameKind, "console frame kind " + ConsoleNames.Hex(kind) + " is unknown");
            }

            if (length > ConsoleFrame.MaxPayloadLength)
            {
                throw new ConsoleProtocolException(
                    ConsoleProtocolError.FrameTooLarge,
                    "console frame declares a payload of " + length.ToString() + " bytes, over the limit of " + ConsoleFrame.MaxPayloadLength.ToString());
            }

            if (length != count - HeaderLength - TrailerLength)
            {
                throw new ConsoleProtocolException(
                    ConsoleProtocolError.LengthMismatch,
                    "console frame declares a payload of " + length.ToString() + " bytes but carries " + (count - HeaderLength - TrailerLength).ToString());
            }

            // The kind states the outcome and the code details it; they must agree.
            if ((kind == (byte)ConsoleFrameKind.Response && code != (byte)ConsoleStatus.Ok)
                || (kind == (byte)ConsoleFrameKind.Error && code == (byte)ConsoleStatus.Ok))
            {
                throw new ConsoleProtocolException(
                    ConsoleProtocolError.InconsistentStatus,
                    "console frame kind " + ConsoleNames.Hex(kind) + " does not match status " + ConsoleNames.Status(code));
            }

            var payload = new byte[length];
            System.Array.Copy(data, offset + HeaderLength, payload, 0, length);
            return new ConsoleFrame((ConsoleFrameKind)kind, sequence, code, payload);
        }
    }
}
