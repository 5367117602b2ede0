using System;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// What the device edge hands to the upstream forwarder (the forwarder issue owns the durable
/// spool behind it): device telemetry and posture, verdicts and alerts, each for one device.
/// </summary>
public interface IUpstreamQueue
{
    /// <summary>Queues one message; returns once it is accepted (persisted, for a durable queue).</summary>
    /// <exception cref="UpstreamRefusedException">The queue cannot accept it (spool full); nothing was persisted.</exception>
    void Enqueue(UpstreamMessage message);
}

/// <summary>One message for upstream.</summary>
/// <param name="DeviceId">The device it concerns ("gateway" for the gateway's own alerts).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Body">JSON (telemetry as the device sent it; verdicts and alerts as the gateway writes them).</param>
/// <param name="At">When the gateway received or made it.</param>
public sealed record UpstreamMessage(string DeviceId, UpstreamKind Kind, ReadOnlyMemory<byte> Body, DateTimeOffset At);

/// <summary>Kinds of upstream message; alerts are never dropped (the forwarder issue).</summary>
public enum UpstreamKind
{
    /// <summary>Device telemetry.</summary>
    Telemetry = 1,

    /// <summary>A device's posture report or the gateway's posture verdict for it.</summary>
    Posture = 2,

    /// <summary>A security alert.</summary>
    Alert = 3,
}
