namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// The message kinds of one device's topic tree (docs/protocols/topics.md). Values below
    /// 100 travel up (device to gateway), from 100 down (gateway to device).
    /// </summary>
    public enum TopicKind
    {
        /// <summary><c>up/telemetry</c>: application readings.</summary>
        Telemetry = 1,

        /// <summary><c>up/heartbeat</c>: the MAC'd, hash-chained heartbeat (docs/protocols/heartbeat.md).</summary>
        Heartbeat = 2,

        /// <summary><c>up/posture</c>: a full posture report, on request or on change.</summary>
        Posture = 3,

        /// <summary><c>up/alert</c>: a security event the device noticed (tamper, refused update, ...).</summary>
        Alert = 4,

        /// <summary><c>up/cmd-ack</c>: the result of a command (<see cref="CommandAck"/>).</summary>
        CommandAck = 5,

        /// <summary><c>down/hb-ack</c>: the gateway's MAC'd heartbeat acknowledgement with its time (<see cref="HeartbeatAck"/>).</summary>
        HeartbeatAck = 101,

        /// <summary><c>down/ota</c>: an OTA offer (<see cref="OtaOffer"/>).</summary>
        OtaOffer = 102,

        /// <summary><c>down/cmd</c>: a MAC'd command (<see cref="DeviceCommand"/>).</summary>
        Command = 103,
    }
}
