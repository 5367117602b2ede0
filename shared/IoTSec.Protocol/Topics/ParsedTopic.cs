namespace IoTSec.Protocol.Topics
{
    /// <summary>A topic name taken apart by <see cref="TopicParser"/>.</summary>
    public sealed class ParsedTopic
    {
        /// <summary>Creates the result.</summary>
        /// <param name="deviceId">The device the topic belongs to.</param>
        /// <param name="kind">The message kind.</param>
        public ParsedTopic(string deviceId, TopicKind kind)
        {
            DeviceId = deviceId;
            Kind = kind;
        }

        /// <summary>The device the topic belongs to (valid by <see cref="Topics.DeviceId"/>).</summary>
        public string DeviceId { get; }

        /// <summary>The message kind.</summary>
        public TopicKind Kind { get; }

        /// <summary>True for an up/ topic (published by the device), false for down/ (published by the gateway only).</summary>
        public bool IsUplink
        {
            get { return DeviceTopics.IsUplink(Kind); }
        }
    }
}
