namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Writes console frames to a channel as <c>0x00 | COBS(frame) | 0x00</c>. The leading
    /// delimiter ends whatever noise preceded the frame on the line, so that noise is
    /// rejected alone instead of corrupting the frame; the receiver ignores the empty
    /// frame between two delimiters.
    /// </summary>
    public sealed class FrameWriter
    {
        /// <summary>Longest byte sequence one frame puts on the wire: both delimiters and the COBS-stuffed frame.</summary>
        public const int MaxWireLength = 1 + ConsoleFrameCodec.MaxFrameLength + (ConsoleFrameCodec.MaxFrameLength / 254) + 1 + 1;

        private readonly IByteChannel _channel;

        /// <summary>Creates a writer over a channel.</summary>
        /// <param name="channel">The console port.</param>
        public FrameWriter(IByteChannel channel)
        {
            if (channel == null)
            {
                throw new System.ArgumentNullException("channel");
            }

            _channel = channel;
        }

        /// <summary>Number of frames written.</summary>
        public int FramesWritten { get; private set; }

        /// <summary>Encodes a frame as the bytes it takes on the wire, delimiters included.</summary>
        /// <param name="frame">The frame.</param>
        /// <returns>The wire bytes, ready for <see cref="WriteWire"/> (and for a replay cache).</returns>
        public static byte[] ToWire(ConsoleFrame frame)
        {
            byte[] raw = ConsoleFrameCodec.Encode(frame);
            var wire = new byte[Cobs.MaxEncodedLength(raw.Length) + 2];
            int stuffed = Cobs.Encode(raw, 0, raw.Length, wire, 1);
            int length = stuffed + 2;

            // wire[0] and wire[length - 1] stay 0x00: the delimiters.
            if (length == wire.Length)
            {
                return wire;
            }

            var exact = new byte[length];
            System.Array.Copy(wire, exact, length);
            return exact;
        }

        /// <summary>Writes a frame.</summary>
        /// <param name="frame">The frame.</param>
        public void Write(ConsoleFrame frame)
        {
            WriteWire(ToWire(frame));
        }

        /// <summary>Writes bytes made by <see cref="ToWire"/> (a retransmission or a cached response).</summary>
        /// <param name="wire">The wire bytes.</param>
        public void WriteWire(byte[] wire)
        {
            if (wire == null)
            {
                throw new System.ArgumentNullException("wire");
            }

            // One write per frame, so the driver can queue and transmit it without gaps.
            _channel.Write(wire, 0, wire.Length);
            FramesWritten++;
        }
    }
}
