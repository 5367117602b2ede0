namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>A persisted chain state that <see cref="HeartbeatChainVerifier.Deserialize(byte[])"/> refused; the gateway should treat the device as unanchored and say so.</summary>
    public sealed class ChainStateRejectedException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why the state was refused.</param>
        /// <param name="message">A sentence naming what was refused.</param>
        public ChainStateRejectedException(ChainStateRejection reason, string message)
            : base("heartbeat chain state refused: " + message)
        {
            Reason = reason;
        }

        /// <summary>Why the state was refused.</summary>
        public ChainStateRejection Reason { get; }
    }
}
