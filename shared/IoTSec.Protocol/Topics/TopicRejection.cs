namespace IoTSec.Protocol.Topics
{
    /// <summary>Why a topic name or a device id was refused.</summary>
    public enum TopicRejection
    {
        /// <summary>The topic is null or empty.</summary>
        Empty = 1,

        /// <summary>The topic is longer than <see cref="TopicParser.MaxTopicLength"/>.</summary>
        TooLong = 2,

        /// <summary>The topic holds '+', '#' or NUL: wildcards have no place in a topic name (MQTT 3.1.1 §4.7.1), NUL is forbidden in any (§4.7.3).</summary>
        ForbiddenCharacter = 3,

        /// <summary>The topic does not start with <see cref="DeviceTopics.Root"/>.</summary>
        WrongPrefix = 4,

        /// <summary>The device id (in a topic, or given to a builder) breaks the <see cref="DeviceId"/> rule.</summary>
        InvalidDeviceId = 5,

        /// <summary>The part after the device id is not one of the defined message kinds.</summary>
        UnknownKind = 6,

        /// <summary>The topic is well formed but belongs to another device than the one expected.</summary>
        OtherDevice = 7,
    }
}
