namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// The device's side of the console: reads requests, runs each through an
    /// <see cref="IConsoleCommandHandler"/> and writes the response. It never runs a request
    /// twice: the last request and its response are kept, so a retransmission (same
    /// sequence number, same bytes) is answered from that cache, and a request older than
    /// the last one (a late duplicate) is refused with <see cref="ConsoleStatus.StaleSequence"/>
    /// without running. That is what makes non-idempotent commands such as
    /// <see cref="ConsoleCommand.Commit"/> safe to retry.
    /// </summary>
    /// <remarks>
    /// No thread inside: the firmware calls <see cref="Poll"/> from its main loop. The cache
    /// lives in RAM; after a reboot the first request is executed whatever its number.
    /// </remarks>
    public sealed class ConsoleServerSession
    {
        private readonly FrameReader _reader;
        private readonly FrameWriter _writer;
        private readonly IConsoleCommandHandler _handler;
        private bool _hasLast;
        private ushort _lastSequence;
        private byte _lastCommand;
        private byte[] _lastPayload = new byte[0];
        private byte[] _lastResponseWire = new byte[0];
        private string _lastHandlerFault = string.Empty;

        /// <summary>Creates a session.</summary>
        /// <param name="channel">The console port.</param>
        /// <param name="handler">Carries out the commands.</param>
        public ConsoleServerSession(IByteChannel channel, IConsoleCommandHandler handler)
        {
            if (handler == null)
            {
                throw new System.ArgumentNullException("handler");
            }

            _reader = new FrameReader(channel);
            _writer = new FrameWriter(channel);
            _handler = handler;
        }

        /// <summary>Requests handed to the handler.</summary>
        public int RequestsExecuted { get; private set; }

        /// <summary>Retransmitted requests answered from the replay cache.</summary>
        public int RequestsReplayed { get; private set; }

        /// <summary>Late requests refused with <see cref="ConsoleStatus.StaleSequence"/>.</summary>
        public int StaleRequestsRefused { get; private set; }

        /// <summary>Frames dropped as corrupted or oversize.</summary>
        public int FramesRejected
        {
            get { return _reader.FramesRejected; }
        }

        /// <summary>Valid frames that were not requests (a looped-back line), ignored.</summary>
        public int NonRequestFramesIgnored { get; private set; }

        /// <summary>Handler calls that threw or returned an oversize response; each was answered with <see cref="ConsoleStatus.InternalError"/>.</summary>
        public int HandlerFaults { get; private set; }

        /// <summary>What the last handler fault was (empty if none), for the device's log and next heartbeat.</summary>
        public string LastHandlerFault
        {
            get { return _lastHandlerFault; }
        }

        /// <summary>Waits for one request and answers it.</summary>
        /// <param name="timeoutMs">Longest wait in milliseconds; 0 only takes what is buffered.</param>
        /// <returns>True when a request was answered (run, replayed or refused as stale).</returns>
        public bool Poll(int timeoutMs)
        {
            if (_reader.Read(timeoutMs) != FrameReadResult.Frame)
            {
                // Timeouts and corrupted frames get no answer: a damaged frame's sequence
                // number cannot be trusted, and the client retransmits.
                return false;
            }

            ConsoleFrame request = _reader.Frame;
            if (request.Kind != ConsoleFrameKind.Request)
            {
                NonRequestFramesIgnored++;
                return false;
            }

            if (_hasLast)
            {
                // RFC 1982 serial number arithmetic on 16 bits: how far the request lies behind the last one.
                int behind = (_lastSequence - request.Sequence) & 0xFFFF;
                if (behind == 0 && request.Code == _lastCommand && SameBytes(request.GetPayload(), _lastPayload))
                {
                    _writer.WriteWire(_lastResponseWire);
                    RequestsReplayed++;
                    return true;
                }

                if (behind != 0 && behind < 0x8000)
                {
                    var last = new byte[] { (byte)(_lastSequence >> 8), (byte)_lastSequence };
                    _writer.Write(new ConsoleFrame(ConsoleFrameKind.Error, request.Sequence, (byte)ConsoleStatus.StaleSequence, last));
                    StaleRequestsRefused++;
                    return true;
                }
            }

            byte[] wire = Execute(request);
            _hasLast = true;
            _lastSequence = request.Sequence;
            _lastCommand = request.Code;
            _lastPayload = request.GetPayload();
            _lastResponseWire = wire;
            _writer.WriteWire(wire);
            return true;
        }

        private byte[] Execute(ConsoleFrame request)
        {
            RequestsExecuted++;
            byte status;
            byte[] response;
            try
            {
                status = _handler.Handle(request.Code, request.GetPayload(), out response);
            }
            catch (System.Exception e)
            {
                // The console must outlive a faulty command: answer InternalError (cached
                // like any answer, so a retry does not run a half-done command again) and
                // keep the fault for the firmware's log.
                return Fault(request, "handler for " + ConsoleNames.Command(request.Code) + " threw: " + e.Message);
            }

            if (response == null)
            {
                response = new byte[0];
            }

            if (response.Length > ConsoleFrame.MaxPayloadLength)
            {
                return Fault(request, "handler for " + ConsoleNames.Command(request.Code) + " returned " + response.Length.ToString() + " bytes, over the frame limit");
            }

            ConsoleFrameKind kind = status == (byte)ConsoleStatus.Ok ? ConsoleFrameKind.Response : ConsoleFrameKind.Error;
            return FrameWriter.ToWire(new ConsoleFrame(kind, request.Sequence, status, response));
        }

        private byte[] Fault(ConsoleFrame request, string what)
        {
            HandlerFaults++;
            _lastHandlerFault = what;
            return FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Error, request.Sequence, (byte)ConsoleStatus.InternalError, new byte[0]));
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
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
