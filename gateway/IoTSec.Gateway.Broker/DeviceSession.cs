using System;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Protocol.Topics;

namespace IoTSec.Gateway.Broker;

/// <summary>
/// One device's MQTT session as the publish path needs it: the <see cref="EdgeDevice"/> and
/// its topic names built once at CONNECT, so routing a message compares strings instead of
/// parsing topics or allocating per message.
/// </summary>
internal sealed class DeviceSession
{
    /// <summary>The key of this object in MQTTnet's per-session items.</summary>
    public static readonly object ItemKey = new();

    public DeviceSession(EdgeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        Topics = new DeviceTopics(device.DeviceId);
    }

    public EdgeDevice Device { get; }

    public DeviceTopics Topics { get; }

    /// <summary>The uplink kind of <paramref name="topic"/> when it is one of this device's own up/ topics; 0 otherwise.</summary>
    public TopicKind UplinkKindOf(string topic)
    {
        // Ordinal equality: a length check then a vectorised compare, no allocation.
        if (string.Equals(topic, Topics.Telemetry, StringComparison.Ordinal))
        {
            return TopicKind.Telemetry;
        }

        if (string.Equals(topic, Topics.Heartbeat, StringComparison.Ordinal))
        {
            return TopicKind.Heartbeat;
        }

        if (string.Equals(topic, Topics.Posture, StringComparison.Ordinal))
        {
            return TopicKind.Posture;
        }

        if (string.Equals(topic, Topics.Alert, StringComparison.Ordinal))
        {
            return TopicKind.Alert;
        }

        return string.Equals(topic, Topics.CommandAck, StringComparison.Ordinal) ? TopicKind.CommandAck : 0;
    }
}
