using System;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// Verifies a heartbeat a device published (MAC, chain, sequence, firmware digest, boot count),
/// records the verdict and acts on it; the broker calls it for messages the allowlist typed as
/// "heartbeat" and publishes the acknowledgement it returns on the device's hb-ack topic.
/// </summary>
public interface IHeartbeatProcessor
{
    /// <summary>Processes one heartbeat from <paramref name="device"/>, received at <paramref name="receivedAt"/>.</summary>
    HeartbeatOutcome Process(EdgeDevice device, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt);
}

/// <summary>What the broker does with a processed heartbeat.</summary>
/// <param name="Accepted">True when the heartbeat verified (whatever the posture verdict).</param>
/// <param name="Acknowledgement">The encoded hb-ack to publish to the device; null when none is due (a rejected heartbeat gets none).</param>
/// <param name="Reason">Why it was rejected, for the log; empty when accepted.</param>
public sealed record HeartbeatOutcome(bool Accepted, byte[]? Acknowledgement, string Reason);
