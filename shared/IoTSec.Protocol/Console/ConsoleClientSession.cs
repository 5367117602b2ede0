namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// The provisioning tool's side of the console: sends one request at a time (stop and
    /// wait) and returns the device's response, retransmitting the same request, with the
    /// same sequence number, on a timeout or a corrupted frame. The device answers a
    /// retransmission from its replay cache, so a request runs on the device at most once.
    /// </summary>
    /// <remarks>Not thread-safe: one request at a time per channel.</remarks>
    public sealed class ConsoleClientSession
    {
        /// <summary>Default wait for a response: enough for a full frame each way at 115200 baud (about 180 ms each) plus the device's work.</summary>
        public const int DefaultResponseTimeoutMs = 1000;

        /// <summary>Default number of retransmissions after the first attempt.</summary>
        public const int DefaultRetryCount = 3;

        private readonly FrameReader _reader;
        private readonly FrameWriter _writer;
        private int _responseTimeoutMs = DefaultResponseTimeoutMs;
        private int _retryCount = DefaultRetryCount;
        private ushort _nextSequence;

        /// <summary>Creates a session that starts at a random sequence number.</summary>
        /// <param name="channel">The console port.</param>
        /// <remarks>
        /// A random start makes it unlikely that a restarted tool reuses the sequence number
        /// of the device's cached last request; if it lands behind it, the device answers
        /// <see cref="ConsoleStatus.StaleSequence"/> and the session moves past it.
        /// </remarks>
        public ConsoleClientSession(IByteChannel channel)
            : this(channel, (ushort)new System.Random().Next(0x10000))
        {
        }

        /// <summary>Creates a session that starts at a given sequence number (tests, replays).</summary>
        /// <param name="channel">The console port.</param>
        /// <param name="initialSequence">The sequence number of the first request.</param>
        public ConsoleClientSession(IByteChannel channel, ushort initialSequence)
        {
            _reader = new FrameReader(channel);
            _writer = new FrameWriter(channel);
            _nextSequence = initialSequence;
        }

        /// <summary>How long each attempt waits for the response, in milliseconds (default <see cref="DefaultResponseTimeoutMs"/>).</summary>
        public int ResponseTimeoutMs
        {
            get
            {
                return _responseTimeoutMs;
            }

            set
            {
                if (value <= 0)
                {
                    throw new System.ArgumentOutOfRangeException("value", "the response timeout must be positive");
                }

                _responseTimeoutMs = value;
            }
        }

        /// <summary>Retransmissions after the first attempt before giving up (default <see cref="DefaultRetryCount"/>).</summary>
        public int RetryCount
        {
            get
            {
                return _retryCount;
            }

            set
            {
                if (value < 0)
                {
                    throw new System.ArgumentOutOfRangeException("value", "the retry count cannot be negative");
                }

                _retryCount = value;
            }
        }

        /// <summary>The sequence number the next request will carry.</summary>
        public ushort NextSequence
        {
            get { return _nextSequence; }
        }

        /// <summary>Requests sent again after a timeout or a corrupted frame.</summary>
        public int Retransmissions { get; private set; }

        /// <summary>Valid frames ignored because they answered another request (late or duplicated responses).</summary>
        public int StaleFramesDiscarded { get; private set; }

        /// <summary>Frames dropped as corrupted or oversize.</summary>
        public int FramesRejected
        {
            get { return _reader.FramesRejected; }
        }

        /// <summary>Times the device reported <see cref="ConsoleStatus.StaleSequence"/> and the session moved its sequence past the device's.</summary>
        public int SequenceResyncs { get; private set; }

        /// <summary>Sends a command and waits for its response.</summary>
        /// <param name="command">The command code (see <see cref="ConsoleCommand"/>).</param>
        /// <param name="payload">The request payload (null for none).</param>
        /// <returns>The response payload (never null).</returns>
        /// <exception cref="ConsoleProtocolException">
        /// <see cref="ConsoleProtocolError.FrameTooLarge"/> before anything is sent;
        /// <see cref="ConsoleProtocolError.RemoteError"/> when the device refused the command
        /// (not retried: the device decided); <see cref="ConsoleProtocolError.Timeout"/> when
        /// no valid response came within all attempts.
        /// </exception>
        public byte[] Request(byte command, byte[] payload)
        {
            ushort sequence = _nextSequence++;
            byte[] wire = FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Request, sequence, command, payload));
            int attempts = _retryCount + 1;
            int timedOut = 0;
            int corrupted = 0;
            bool resynced = false;
            for (int attempt = 1; attempt <= attempts; attempt++)
            {
                if (attempt > 1)
                {
                    Retransmissions++;
                }

                _writer.WriteWire(wire);
                long deadline = ConsoleClock.NowMilliseconds() + _responseTimeoutMs;
                while (true)
                {
                    long remaining = deadline - ConsoleClock.NowMilliseconds();
                    FrameReadResult result = remaining > 0 ? _reader.Read((int)remaining) : FrameReadResult.Timeout;
                    if (result == FrameReadResult.Timeout)
                    {
                        timedOut++;
                        break;
                    }

                    if (result == FrameReadResult.Rejected)
                    {
                        // Likely our response, damaged: ask again now rather than wait out the timeout.
                        corrupted++;
                        break;
                    }

                    ConsoleFrame frame = _reader.Frame;
                    if (frame.Kind == ConsoleFrameKind.Request || frame.Sequence != sequence)
                    {
                        // A response to an earlier attempt or request, or our own request
                        // echoed by a terminal: not an answer to this one.
                        StaleFramesDiscarded++;
                        continue;
                    }

                    if (frame.Kind == ConsoleFrameKind.Response)
                    {
                        return frame.GetPayload();
                    }

                    if (frame.Code == (byte)ConsoleStatus.StaleSequence && frame.PayloadLength == 2 && !resynced)
                    {
                        // The device executed nothing: continue after its last sequence number.
                        // Once per request, and not counted as an attempt.
                        byte[] last = frame.GetPayload();
                        sequence = (ushort)(((last[0] << 8) | last[1]) + 1);
                        _nextSequence = (ushort)(sequence + 1);
                        wire = FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Request, sequence, command, payload));
                        resynced = true;
                        SequenceResyncs++;
                        attempt--;
                        break;
                    }

                    throw new ConsoleProtocolException(
                        frame.Code,
                        frame.GetPayload(),
                        "the device refused " + ConsoleNames.Command(command) + " with status " + ConsoleNames.Status(frame.Code));
                }
            }

            throw new ConsoleProtocolException(ConsoleProtocolError.Timeout, TimeoutMessage(command, sequence, attempts, timedOut, corrupted));
        }

        private string TimeoutMessage(byte command, ushort sequence, int attempts, int timedOut, int corrupted)
        {
            string message = "no valid response to " + ConsoleNames.Command(command) + " (sequence " + sequence.ToString()
                + ") after " + attempts.ToString() + " attempt(s) of " + _responseTimeoutMs.ToString() + " ms: "
                + timedOut.ToString() + " timed out, " + corrupted.ToString() + " got a corrupted frame";
            if (corrupted > 0 && timedOut == 0)
            {
                return message + ". Only corrupted frames arrived: check the baud rate (115200) and the cable.";
            }

            return message + ". Check that the right port is open, the cable is connected and the device runs its provisioning console.";
        }
    }
}
