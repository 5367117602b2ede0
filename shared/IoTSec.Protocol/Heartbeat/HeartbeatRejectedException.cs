namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The one exception the heartbeat decoder throws for bad input: CBOR errors are wrapped
    /// here with <see cref="HeartbeatRejection.Malformed"/>, so a caller catches one type.
    /// </summary>
    public sealed class HeartbeatRejectedException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why the heartbeat was refused.</param>
        /// <param name="message">A sentence naming what was refused.</param>
        public HeartbeatRejectedException(HeartbeatRejection reason, string message)
            : base("heartbeat refused (" + ReasonName(reason) + "): " + message)
        {
            Reason = reason;
        }

        /// <summary>Why the heartbeat was refused.</summary>
        public HeartbeatRejection Reason { get; }

        // Enum.ToString on mscorlib v1 prints the number only; logs need the name.
        internal static string ReasonName(HeartbeatRejection reason)
        {
            switch (reason)
            {
                case HeartbeatRejection.Malformed: return "Malformed";
                case HeartbeatRejection.TooLarge: return "TooLarge";
                case HeartbeatRejection.BadMac: return "BadMac";
                case HeartbeatRejection.UnknownVersion: return "UnknownVersion";
                case HeartbeatRejection.FieldMissing: return "FieldMissing";
                case HeartbeatRejection.FieldInvalid: return "FieldInvalid";
                case HeartbeatRejection.UnknownField: return "UnknownField";
                case HeartbeatRejection.DeviceIdMismatch: return "DeviceIdMismatch";
                default: return "Reason" + ((int)reason).ToString();
            }
        }
    }
}
