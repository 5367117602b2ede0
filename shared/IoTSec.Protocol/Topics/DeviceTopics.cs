namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// The MQTT topic names of one device: <c>iotsec/v1/d/{deviceId}/up/...</c> for what the
    /// device publishes and <c>iotsec/v1/d/{deviceId}/down/...</c> for what only the gateway
    /// publishes to it (docs/protocols/topics.md).
    /// </summary>
    /// <remarks>
    /// The device id sits in its own topic level so a broker ACL can match it against the
    /// client certificate's identity with a single pattern, and up/down are separate levels
    /// so "a device publishes only under its own up/" is one rule.
    /// </remarks>
    public sealed class DeviceTopics
    {
        /// <summary>The prefix of every device topic; "v1" names this topic tree's version.</summary>
        public const string Root = "iotsec/v1/d/";

        /// <summary>The filter the gateway subscribes to for every device's uplink.</summary>
        public const string AllUplinkFilter = Root + "+/up/#";

        /// <summary>Builds the topics of <paramref name="deviceId"/>.</summary>
        /// <param name="deviceId">A device id obeying <see cref="Topics.DeviceId"/>.</param>
        /// <exception cref="TopicRejectedException"><see cref="TopicRejection.InvalidDeviceId"/>.</exception>
        public DeviceTopics(string deviceId)
        {
            Topics.DeviceId.Validate(deviceId);
            DeviceId = deviceId;
            string root = Root + deviceId + "/";
            Telemetry = root + Suffix(TopicKind.Telemetry);
            Heartbeat = root + Suffix(TopicKind.Heartbeat);
            Posture = root + Suffix(TopicKind.Posture);
            Alert = root + Suffix(TopicKind.Alert);
            CommandAck = root + Suffix(TopicKind.CommandAck);
            HeartbeatAck = root + Suffix(TopicKind.HeartbeatAck);
            OtaOffer = root + Suffix(TopicKind.OtaOffer);
            Command = root + Suffix(TopicKind.Command);
            UplinkFilter = root + "up/#";
            DownlinkFilter = root + "down/#";
        }

        /// <summary>The device id the topics belong to.</summary>
        public string DeviceId { get; }

        /// <summary><c>.../up/telemetry</c>.</summary>
        public string Telemetry { get; }

        /// <summary><c>.../up/heartbeat</c>.</summary>
        public string Heartbeat { get; }

        /// <summary><c>.../up/posture</c>.</summary>
        public string Posture { get; }

        /// <summary><c>.../up/alert</c>.</summary>
        public string Alert { get; }

        /// <summary><c>.../up/cmd-ack</c>.</summary>
        public string CommandAck { get; }

        /// <summary><c>.../down/hb-ack</c>.</summary>
        public string HeartbeatAck { get; }

        /// <summary><c>.../down/ota</c>.</summary>
        public string OtaOffer { get; }

        /// <summary><c>.../down/cmd</c>.</summary>
        public string Command { get; }

        /// <summary><c>iotsec/v1/d/{deviceId}/up/#</c>: everything the device may publish.</summary>
        public string UplinkFilter { get; }

        /// <summary><c>iotsec/v1/d/{deviceId}/down/#</c>: the one filter the device subscribes to.</summary>
        public string DownlinkFilter { get; }

        /// <summary>The topic of one kind of message.</summary>
        /// <param name="kind">The message kind.</param>
        /// <returns>The full topic name.</returns>
        /// <exception cref="TopicRejectedException"><see cref="TopicRejection.UnknownKind"/> for a value outside <see cref="TopicKind"/>.</exception>
        public string Get(TopicKind kind)
        {
            return Root + DeviceId + "/" + Suffix(kind);
        }

        /// <summary>True for the kinds a device publishes (up), false for those only the gateway publishes (down).</summary>
        /// <param name="kind">The message kind.</param>
        /// <returns>True for uplink kinds.</returns>
        public static bool IsUplink(TopicKind kind)
        {
            return (int)kind < 100;
        }

        /// <summary>The part of the topic after the device id, for example <c>up/heartbeat</c>.</summary>
        /// <param name="kind">The message kind.</param>
        /// <returns>The two topic levels naming the kind.</returns>
        /// <exception cref="TopicRejectedException"><see cref="TopicRejection.UnknownKind"/> for a value outside <see cref="TopicKind"/>.</exception>
        public static string Suffix(TopicKind kind)
        {
            switch (kind)
            {
                case TopicKind.Telemetry: return "up/telemetry";
                case TopicKind.Heartbeat: return "up/heartbeat";
                case TopicKind.Posture: return "up/posture";
                case TopicKind.Alert: return "up/alert";
                case TopicKind.CommandAck: return "up/cmd-ack";
                case TopicKind.HeartbeatAck: return "down/hb-ack";
                case TopicKind.OtaOffer: return "down/ota";
                case TopicKind.Command: return "down/cmd";
                default:
                    throw new TopicRejectedException(TopicRejection.UnknownKind, "no topic for message kind " + ((int)kind).ToString());
            }
        }

        /// <summary>The kind whose <see cref="Suffix"/> is <paramref name="suffix"/>, or 0 when none is.</summary>
        internal static TopicKind KindOf(string suffix)
        {
            switch (suffix)
            {
                case "up/telemetry": return TopicKind.Telemetry;
                case "up/heartbeat": return TopicKind.Heartbeat;
                case "up/posture": return TopicKind.Posture;
                case "up/alert": return TopicKind.Alert;
                case "up/cmd-ack": return TopicKind.CommandAck;
                case "down/hb-ack": return TopicKind.HeartbeatAck;
                case "down/ota": return TopicKind.OtaOffer;
                case "down/cmd": return TopicKind.Command;
                default: return 0;
            }
        }
    }
}
