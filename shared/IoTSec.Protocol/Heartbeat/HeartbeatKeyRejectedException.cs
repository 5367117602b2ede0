namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>The one exception <see cref="HeartbeatKeyResponse"/> decoding throws for bad input.</summary>
#pragma warning disable CA1032 // Standard constructors: a rejection without its reason carries no diagnosis; mscorlib v1 has no serialization constructor.
    public sealed class HeartbeatKeyRejectedException : System.Exception
#pragma warning restore CA1032
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
