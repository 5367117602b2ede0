namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Reads console frames from a channel: accumulates bytes up to each 0x00 delimiter,
    /// un-stuffs them (<see cref="Cobs"/>) and decodes the frame
    /// (<see cref="ConsoleFrameCodec"/>). Malformed frames are dropped and counted, never
    /// thrown: on a serial line they are expected, and the session above retries.
    /// </summary>
    /// <remarks>
    /// Memory is bounded by <see cref="MaxEncodedFrameLength"/>: a run of bytes longer than
    /// any valid frame (noise, a wrong baud rate, a peer that never sends a delimiter) is
    /// discarded byte by byte until the next delimiter instead of being buffered.
    /// </remarks>
    public sealed class FrameReader
    {
        /// <summary>Longest COBS-stuffed frame accepted between two delimiters.</summary>
        public const int MaxEncodedFrameLength = ConsoleFrameCodec.MaxFrameLength + (ConsoleFrameCodec.MaxFrameLength / 254) + 1;

        // What a UART driver typically has buffered; larger reads only keep bytes waiting here.
        private const int ChunkLength = 256;

        // Returned by Frame before any frame was read, so that the property is never null.
        private static readonly ConsoleFrame NoFrame = new ConsoleFrame(ConsoleFrameKind.Request, 0, 0, new byte[0]);

        private readonly IByteChannel _channel;
        private readonly byte[] _chunk = new byte[ChunkLength];
        private readonly byte[] _accumulator = new byte[MaxEncodedFrameLength];
        private readonly byte[] _decoded = new byte[MaxEncodedFrameLength];
        private int _chunkStart;
        private int _chunkEnd;
        private int _accumulated;
        private bool _overflowed;
        private ConsoleFrame _frame = NoFrame;
        private string _lastRejectionMessage = string.Empty;

        /// <summary>Creates a reader over a channel.</summary>
        /// <param name="channel">The console port.</param>
        public FrameReader(IByteChannel channel)
        {
            if (channel == null)
            {
                throw new System.ArgumentNullException("channel");
            }

            _channel = channel;
        }

        /// <summary>The frame read by the last <see cref="Read"/> that returned <see cref="FrameReadResult.Frame"/>.</summary>
        public ConsoleFrame Frame
        {
            get { return _frame; }
        }

        /// <summary>Why the last rejected frame was dropped.</summary>
        public ConsoleProtocolError LastRejection { get; private set; }

        /// <summary>The message describing the last rejected frame (empty if none).</summary>
        public string LastRejectionMessage
        {
            get { return _lastRejectionMessage; }
        }

        /// <summary>Valid frames read.</summary>
        public int FramesRead { get; private set; }

        /// <summary>Frames dropped as malformed or oversize (oversize included).</summary>
        public int FramesRejected { get; private set; }

        /// <summary>Byte runs dropped because they exceeded <see cref="MaxEncodedFrameLength"/>.</summary>
        public int OversizeFrames { get; private set; }

        /// <summary>
        /// Reads until one frame is complete (valid or rejected) or the timeout passes.
        /// Bytes after the frame stay buffered for the next call.
        /// </summary>
        /// <param name="timeoutMs">Longest wait in milliseconds; 0 polls the channel once.</param>
        /// <returns>What was read; for <see cref="FrameReadResult.Frame"/> see <see cref="Frame"/>.</returns>
        public FrameReadResult Read(int timeoutMs)
        {
            long deadline = ConsoleClock.NowMilliseconds() + (timeoutMs < 0 ? 0 : timeoutMs);
            bool polled = false;
            while (true)
            {
                while (_chunkStart < _chunkEnd)
                {
                    byte b = _chunk[_chunkStart++];
                    if (b != 0)
                    {
                        if (_accumulated < _accumulator.Length)
                        {
                            _accumulator[_accumulated++] = b;
                        }
                        else
                        {
                            _overflowed = true;
                        }

                        continue;
                    }

                    if (_overflowed)
                    {
                        _overflowed = false;
                        _accumulated = 0;
                        OversizeFrames++;
                        return Reject(ConsoleProtocolError.FrameTooLarge, "more than " + MaxEncodedFrameLength.ToString() + " bytes without a frame delimiter were discarded");
                    }

                    if (_accumulated == 0)
                    {
                        // Two delimiters in a row: the writer's leading delimiter, not a frame.
                        continue;
                    }

                    int length = _accumulated;
                    _accumulated = 0;
                    return DecodeAccumulated(length);
                }

                long remaining = deadline - ConsoleClock.NowMilliseconds();
                if (remaining <= 0)
                {
                    if (polled)
                    {
                        return FrameReadResult.Timeout;
                    }

                    remaining = 0;
                }

                polled = true;
                int got = _channel.Read(_chunk, 0, _chunk.Length, (int)remaining);
                if (got <= 0)
                {
                    return FrameReadResult.Timeout;
                }

                _chunkStart = 0;
                _chunkEnd = got > _chunk.Length ? _chunk.Length : got;
            }
        }

        private FrameReadResult DecodeAccumulated(int length)
        {
            try
            {
                int raw = Cobs.Decode(_accumulator, 0, length, _decoded, 0);
                _frame = ConsoleFrameCodec.Decode(_decoded, 0, raw);
            }
            catch (ConsoleProtocolException e)
            {
                return Reject(e.Reason, e.Message);
            }

            FramesRead++;
            return FrameReadResult.Frame;
        }

        private FrameReadResult Reject(ConsoleProtocolError reason, string message)
        {
            FramesRejected++;
            LastRejection = reason;
            _lastRejectionMessage = message;
            return FrameReadResult.Rejected;
        }
    }
}
