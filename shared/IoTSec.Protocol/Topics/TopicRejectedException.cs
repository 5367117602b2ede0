namespace IoTSec.Protocol.Topics
{
    /// <summary>A topic name or device id refused by <see cref="TopicParser"/>, <see cref="DeviceTopics"/> or <see cref="DeviceId"/>.</summary>
    public sealed class TopicRejectedException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why the topic was refused.</param>
        /// <param name="message">A sentence naming what was refused.</param>
        public TopicRejectedException(TopicRejection reason, string message)
            : base(message)
        {
            Reason = reason;
        }

        /// <summary>Why the topic was refused.</summary>
        public TopicRejection Reason { get; }
    }
}
