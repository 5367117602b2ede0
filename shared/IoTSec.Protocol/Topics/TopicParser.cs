namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// Maps a topic name back to (device id, message kind), refusing anything that is not
    /// exactly a topic <see cref="DeviceTopics"/> builds; and the broker's publish and
    /// subscribe rules for a device client.
    /// </summary>
    public static class TopicParser
    {
        /// <summary>
        /// Longest topic accepted, in characters. Our longest is 12 + 64 + 13 = 89 ("iotsec/v1/d/", the id, "/up/telemetry"); the bound
        /// stops a hostile client from making the parser scan a 64 KB topic.
        /// </summary>
        public const int MaxTopicLength = 128;

        /// <summary>Takes a topic name apart.</summary>
        /// <param name="topic">A topic name from a PUBLISH packet.</param>
        /// <returns>The device id and the message kind.</returns>
        /// <exception cref="TopicRejectedException">The topic is not one of ours; see <see cref="TopicRejection"/>.</exception>
        public static ParsedTopic Parse(string topic)
        {
            string deviceId;
            TopicKind kind;
            TopicRejection reason = Check(topic, out deviceId, out kind);
            if (reason != 0)
            {
                throw new TopicRejectedException(reason, "topic " + DeviceId.Describe(topic) + " refused: " + ReasonText(reason));
            }

            return new ParsedTopic(deviceId, kind);
        }

        /// <summary>Takes a topic name apart without throwing or allocating a result object.</summary>
        /// <param name="topic">A topic name.</param>
        /// <param name="deviceId">The device id, or the empty string when refused.</param>
        /// <param name="kind">The message kind, or 0 when refused.</param>
        /// <returns>True when the topic is one of ours.</returns>
        public static bool TryParse(string topic, out string deviceId, out TopicKind kind)
        {
            return Check(topic, out deviceId, out kind) == 0;
        }

        /// <summary>Takes a topic apart and requires it to belong to <paramref name="expectedDeviceId"/>.</summary>
        /// <param name="topic">A topic name.</param>
        /// <param name="expectedDeviceId">The device whose topic it must be (for example the identity of the TLS client).</param>
        /// <returns>The message kind and device id.</returns>
        /// <exception cref="TopicRejectedException">As for <see cref="Parse"/>, or <see cref="TopicRejection.OtherDevice"/>.</exception>
        public static ParsedTopic ParseForDevice(string topic, string expectedDeviceId)
        {
            ParsedTopic parsed = Parse(topic);
            if (!string.Equals(parsed.DeviceId, expectedDeviceId))
            {
                throw new TopicRejectedException(TopicRejection.OtherDevice, "topic " + DeviceId.Describe(topic) + " belongs to another device than " + DeviceId.Describe(expectedDeviceId));
            }

            return parsed;
        }

        /// <summary>
        /// The broker's rule for a PUBLISH from a device client: only to its own up/ topics,
        /// never to down/ (which only the gateway writes) nor to another device's tree.
        /// </summary>
        /// <param name="clientDeviceId">The device id the client authenticated as (from its certificate).</param>
        /// <param name="topic">The topic of the PUBLISH.</param>
        /// <returns>True when the publish may proceed.</returns>
        public static bool IsDevicePublishAllowed(string clientDeviceId, string topic)
        {
            string deviceId;
            TopicKind kind;
            return Check(topic, out deviceId, out kind) == 0
                && DeviceTopics.IsUplink(kind)
                && string.Equals(deviceId, clientDeviceId);
        }

        /// <summary>
        /// The broker's rule for a SUBSCRIBE from a device client: its own
        /// <see cref="DeviceTopics.DownlinkFilter"/> or one of its own down/ topics, nothing else
        /// (no wildcard reaching other devices, no up/ topics of anyone).
        /// </summary>
        /// <param name="clientDeviceId">The device id the client authenticated as.</param>
        /// <param name="topicFilter">The filter in the SUBSCRIBE.</param>
        /// <returns>True when the subscription may be granted.</returns>
        public static bool IsDeviceSubscribeAllowed(string clientDeviceId, string topicFilter)
        {
            if (!DeviceId.IsValid(clientDeviceId) || topicFilter == null)
            {
                return false;
            }

            if (string.Equals(topicFilter, Root(clientDeviceId) + "down/#"))
            {
                return true;
            }

            string deviceId;
            TopicKind kind;
            return Check(topicFilter, out deviceId, out kind) == 0
                && !DeviceTopics.IsUplink(kind)
                && string.Equals(deviceId, clientDeviceId);
        }

        private static string Root(string deviceId)
        {
            return DeviceTopics.Root + deviceId + "/";
        }

        private static TopicRejection Check(string topic, out string deviceId, out TopicKind kind)
        {
            deviceId = string.Empty;
            kind = 0;
            if (topic == null || topic.Length == 0)
            {
                return TopicRejection.Empty;
            }

            if (topic.Length > MaxTopicLength)
            {
                return TopicRejection.TooLong;
            }

            for (int i = 0; i < topic.Length; i++)
            {
                char c = topic[i];
                if (c == '+' || c == '#' || c == '\0')
                {
                    return TopicRejection.ForbiddenCharacter;
                }
            }

            string root = DeviceTopics.Root;
            if (topic.Length <= root.Length || !string.Equals(topic.Substring(0, root.Length), root))
            {
                return TopicRejection.WrongPrefix;
            }

            int idStart = root.Length;
            int slash = topic.IndexOf('/', idStart);
            if (slash < 0)
            {
                // "iotsec/v1/d/x": a device id with no kind after it.
                return DeviceId.IsValid(topic.Substring(idStart)) ? TopicRejection.UnknownKind : TopicRejection.InvalidDeviceId;
            }

            string id = topic.Substring(idStart, slash - idStart);
            if (!DeviceId.IsValid(id))
            {
                return TopicRejection.InvalidDeviceId;
            }

            TopicKind found = DeviceTopics.KindOf(topic.Substring(slash + 1));
            if (found == 0)
            {
                return TopicRejection.UnknownKind;
            }

            deviceId = id;
            kind = found;
            return 0;
        }

        private static string ReasonText(TopicRejection reason)
        {
            switch (reason)
            {
                case TopicRejection.Empty: return "empty";
                case TopicRejection.TooLong: return "longer than " + MaxTopicLength.ToString() + " characters";
                case TopicRejection.ForbiddenCharacter: return "contains '+', '#' or NUL";
                case TopicRejection.WrongPrefix: return "does not start with " + DeviceTopics.Root;
                case TopicRejection.InvalidDeviceId: return "invalid device id";
                case TopicRejection.UnknownKind: return "unknown message kind";
                default: return "reason " + ((int)reason).ToString();
            }
        }
    }
}
