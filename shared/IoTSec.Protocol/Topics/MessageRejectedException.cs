namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// The one exception the decoders of <see cref="HeartbeatAck"/>, <see cref="DeviceCommand"/>,
    /// <see cref="CommandAck"/> and <see cref="OtaOffer"/> throw for bad input; CBOR errors are
    /// wrapped with <see cref="MessageRejection.Malformed"/>.
    /// </summary>
    public sealed class MessageRejectedException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="kind">The message type refused.</param>
        /// <param name="reason">Why it was refused.</param>
        /// <param name="message">A sentence naming what was refused.</param>
        public MessageRejectedException(TopicKind kind, MessageRejection reason, string message)
            : base(DeviceTopics.Suffix(kind) + " message refused: " + message)
        {
            Kind = kind;
            Reason = reason;
        }

        /// <summary>The message type refused.</summary>
        public TopicKind Kind { get; }

        /// <summary>Why it was refused.</summary>
        public MessageRejection Reason { get; }
    }
}
