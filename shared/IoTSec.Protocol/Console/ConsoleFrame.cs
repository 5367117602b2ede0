namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// One console frame before COBS stuffing: what the tool and the device exchange.
    /// Layout and limits are in docs/protocols/console.md and in <see cref="ConsoleFrameCodec"/>.
    /// </summary>
    public sealed class ConsoleFrame
    {
        /// <summary>
        /// Largest payload of one frame: 2048 bytes. Sized so that one provisioning item fits
        /// a frame with room for its CBOR wrapping: an RSA-2048 birth key in PEM is about
        /// 1.7 KB, an RSA-2048 certificate in PEM about 1.4 KB, a P-256 certificate and key
        /// together about 1.1 KB. It bounds the device's receive buffers to about 4 KB and a
        /// full frame's time on a 115200-baud line to about 180 ms. Larger objects (a
        /// trust-anchor bundle) are split across requests by the payload encoding.
        /// </summary>
        public const int MaxPayloadLength = 2048;

        private readonly byte[] _payload;

        /// <summary>Creates a frame.</summary>
        /// <param name="kind">Request, response or error.</param>
        /// <param name="sequence">The request's sequence number, echoed by its response.</param>
        /// <param name="code">The command (request) or status (response, error).</param>
        /// <param name="payload">The payload (null for none); not copied.</param>
        /// <exception cref="ConsoleProtocolException">The payload exceeds <see cref="MaxPayloadLength"/> (<see cref="ConsoleProtocolError.FrameTooLarge"/>).</exception>
        public ConsoleFrame(ConsoleFrameKind kind, ushort sequence, byte code, byte[] payload)
        {
            if (payload != null && payload.Length > MaxPayloadLength)
            {
                throw new ConsoleProtocolException(
                    ConsoleProtocolError.FrameTooLarge,
                    "payload of " + payload.Length.ToString() + " bytes exceeds the console frame limit of " + MaxPayloadLength.ToString() + " bytes");
            }

            Kind = kind;
            Sequence = sequence;
            Code = code;
            _payload = payload == null ? new byte[0] : payload;
        }

        /// <summary>Request, response or error.</summary>
        public ConsoleFrameKind Kind { get; }

        /// <summary>The request's sequence number; a response echoes it.</summary>
        public ushort Sequence { get; }

        /// <summary>The command (request) or status (response, error).</summary>
        public byte Code { get; }

        /// <summary>Length of the payload in bytes.</summary>
        public int PayloadLength
        {
            get { return _payload.Length; }
        }

        /// <summary>The payload itself (not a copy: frames are short-lived and the firmware avoids copies).</summary>
        /// <returns>The payload bytes; never null.</returns>
        public byte[] GetPayload()
        {
            return _payload;
        }
    }
}
