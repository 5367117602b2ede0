namespace IoTSec.Gateway.Core.Policy;

/// <summary>One subscribe rule of a device class: the filters a device may subscribe to (no wider than <see cref="Topic"/>) and at which QoS.</summary>
public sealed class SubscribeRule
{
    internal SubscribeRule(int index, TopicPattern topic, int qosMask)
    {
        Index = index;
        Topic = topic;
        QosMask = qosMask;
    }

    /// <summary>Position of the rule in its class's subscribe list.</summary>
    public int Index { get; }

    /// <summary>The widest filter the rule grants.</summary>
    public TopicPattern Topic { get; }

    /// <summary>Allowed QoS levels as bits (bit n: QoS n).</summary>
    public int QosMask { get; }

    /// <summary>True when QoS <paramref name="qos"/> is allowed.</summary>
    public bool AllowsQos(int qos) => qos is >= 0 and <= 2 && (QosMask & (1 << qos)) != 0;
}
