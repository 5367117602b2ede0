namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>The one exception <see cref="HeartbeatKeyResponse"/> decoding throws for bad input.</summary>
    public sealed class HeartbeatKeyRejectedException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why the response was refused.</param>
        /// <param name="message">A sentence naming what was refused.</param>
        public HeartbeatKeyRejectedException(HeartbeatKeyRejection reason, string message)
            : base("heartbeat key response refused: " + message)
        {
            Reason = reason;
        }

        /// <summary>Why the response was refused.</summary>
        public HeartbeatKeyRejection Reason { get; }
    }
}
