namespace IoTSec.Gateway.Core.Edge;

/// <summary>Why the protocol allowlist refused a publish or a subscription (docs/policy.md).</summary>
public enum TrafficViolation
{
    /// <summary>Allowed.</summary>
    None = 0,

    /// <summary>The device's class has no policy: default deny.</summary>
    UnknownClass = 1,

    /// <summary>No publish or subscribe pattern of the class matches the topic.</summary>
    TopicNotAllowed = 2,

    /// <summary>A device published on a downlink topic: only the gateway does.</summary>
    DownlinkPublish = 3,

    /// <summary>The payload is larger than the class allows.</summary>
    PayloadTooLarge = 4,

    /// <summary>The device publishes faster than its rate and burst.</summary>
    RateExceeded = 5,

    /// <summary>The QoS is not among those the class allows.</summary>
    QosNotAllowed = 6,

    /// <summary>The retain flag is set where the class does not allow it.</summary>
    RetainNotAllowed = 7,

    /// <summary>The payload is not of the topic's type (telemetry JSON failing its schema, undecodable CBOR).</summary>
    PayloadInvalid = 8,
}
