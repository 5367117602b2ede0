namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// The one exception the console transport throws for bad outside input (malformed
    /// frames, a silent or noisy line) and for a device that refused a request. The
    /// <see cref="Reason"/> is meant for logs, metrics and the technician's screen.
    /// </summary>
    public sealed class ConsoleProtocolException : System.Exception
    {
        private readonly byte[] _remoteDetail;

        /// <summary>Creates an exception for a local failure.</summary>
        /// <param name="reason">Why the frame or request failed.</param>
        /// <param name="message">A sentence naming what was refused and why.</param>
        public ConsoleProtocolException(ConsoleProtocolError reason, string message)
            : base(message)
        {
            Reason = reason;
            _remoteDetail = new byte[0];
        }

        /// <summary>Creates an exception for an error status returned by the device.</summary>
        /// <param name="status">The device's status code (see <see cref="ConsoleStatus"/>).</param>
        /// <param name="detail">The error frame's payload (diagnostic bytes, possibly empty).</param>
        /// <param name="message">A sentence naming the command and the status.</param>
        public ConsoleProtocolException(byte status, byte[] detail, string message)
            : base(message)
        {
            Reason = ConsoleProtocolError.RemoteError;
            RemoteStatus = status;
            _remoteDetail = detail == null ? new byte[0] : detail;
        }

        /// <summary>Why the frame or request failed.</summary>
        public ConsoleProtocolError Reason { get; }

        /// <summary>The device's status code when <see cref="Reason"/> is <see cref="ConsoleProtocolError.RemoteError"/>; otherwise 0.</summary>
        public byte RemoteStatus { get; }

        /// <summary>
        /// True when trying again later may succeed (a silent or noisy line, a device busy
        /// rebooting); false when the same request will fail the same way (malformed input,
        /// a device that is locked or does not know the command).
        /// </summary>
        public bool IsTransient
        {
            get
            {
                return Reason == ConsoleProtocolError.Timeout
                    || (Reason == ConsoleProtocolError.RemoteError && RemoteStatus == (byte)ConsoleStatus.InternalError);
            }
        }

        /// <summary>A copy of the error frame's payload sent by the device (empty if none).</summary>
        /// <returns>The diagnostic bytes.</returns>
        public byte[] GetRemoteDetail()
        {
            var copy = new byte[_remoteDetail.Length];
            System.Array.Copy(_remoteDetail, copy, copy.Length);
            return copy;
        }
    }
}
