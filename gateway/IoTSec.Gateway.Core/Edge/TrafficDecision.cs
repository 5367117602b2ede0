namespace IoTSec.Gateway.Core.Edge;

/// <summary>The allowlist's answer for one publish or subscription.</summary>
/// <param name="Violation"><see cref="TrafficViolation.None"/> when allowed.</param>
/// <param name="Detail">Why, in words fit for a log line and an audit entry (no payload content).</param>
/// <param name="PayloadType">The payload type the matching rule names ("heartbeat", "json", "cbor", "any"), so the broker knows where to route it; empty when refused.</param>
public readonly record struct TrafficDecision(TrafficViolation Violation, string Detail, string PayloadType)
{
    /// <summary>True when the message or subscription may pass.</summary>
    public bool Allowed => Violation == TrafficViolation.None;

    /// <summary>An allowed message of <paramref name="payloadType"/>.</summary>
    public static TrafficDecision Allow(string payloadType) => new(TrafficViolation.None, string.Empty, payloadType);

    /// <summary>A refusal.</summary>
    public static TrafficDecision Deny(TrafficViolation violation, string detail) => new(violation, detail, string.Empty);
}
