namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// The alert and verdict-reason codes of the posture service (docs/posture.md, "Alerts").
/// Stable: dashboards, the pilot harness and upstream consumers match on them.
/// </summary>
public static class AlertCodes
{
    /// <summary>Verdict reason of a heartbeat with nothing to report.</summary>
    public const string HeartbeatOk = "heartbeat.ok";

    /// <summary>The heartbeat is not a well-formed envelope, or over 512 bytes (before the MAC).</summary>
    public const string HeartbeatMalformed = "heartbeat.malformed";

    /// <summary>The MAC does not verify under the device's current key.</summary>
    public const string HeartbeatBadMac = "heartbeat.bad-mac";

    /// <summary>The MAC verified but the body breaks the format (unknown version or field, bad value, another device's id).</summary>
    public const string HeartbeatInvalid = "heartbeat.invalid";

    /// <summary>A byte-identical copy of an accepted heartbeat.</summary>
    public const string HeartbeatReplay = "heartbeat.replay";

    /// <summary>Two chains under one identity: a cloned device.</summary>
    public const string HeartbeatFork = "heartbeat.fork";

    /// <summary>The boot count went down within one chain: another device, or restored flash.</summary>
    public const string BootCountBackwards = "heartbeat.boot-count-backwards";

    /// <summary>The firmware digest is not among the allowed firmware of the device's class.</summary>
    public const string UnknownFirmware = "posture.unknown-firmware";

    /// <summary>Posture flags report a weakened device (debug port, secure boot off, …) or bits this gateway does not know.</summary>
    public const string InsecureConfiguration = "posture.insecure-configuration";

    /// <summary>The device's class has no posture rules: its firmware cannot be judged (default deny).</summary>
    public const string UnknownClass = "posture.unknown-class";

    /// <summary>Too many boots within the storm window.</summary>
    public const string RebootStorm = "device.reboot-storm";

    /// <summary>No heartbeat for two intervals plus the grace.</summary>
    public const string DeviceSilent = "device.silent";

    /// <summary>The heartbeat secret is sealed (tamper latch): no heartbeat can be verified.</summary>
    public const string SecretUnavailable = "gateway.heartbeat-secret-unavailable";
}
