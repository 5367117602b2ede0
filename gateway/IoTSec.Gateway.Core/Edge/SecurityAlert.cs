using System;

namespace IoTSec.Gateway.Core.Edge;

/// <summary>
/// Something an operator must hear about: a compromised posture, a replayed or forked heartbeat,
/// a silent device, repeated policy violations, an opened enclosure. <see cref="RaisedAt"/> is
/// the gateway's own clock, so time-to-detect is measured from the gateway's records.
/// </summary>
/// <param name="Code">A stable machine-readable code ("posture.unknown-firmware", "heartbeat.replay", "device.silent", "policy.repeated-violations", "gateway.tamper").</param>
/// <param name="Subject">The device id, or "gateway" for the gateway itself.</param>
/// <param name="Severity">How urgent.</param>
/// <param name="Detail">What happened, in words; never a secret or a payload.</param>
/// <param name="RaisedAt">When the gateway raised it.</param>
public sealed record SecurityAlert(string Code, string Subject, AlertSeverity Severity, string Detail, DateTimeOffset RaisedAt);

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity
{
    /// <summary>Worth a look.</summary>
    Warning = 1,

    /// <summary>Acted on by the gateway (quarantine, revocation) and needs an operator.</summary>
    Critical = 2,
}
