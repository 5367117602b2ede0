namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// What an audit entry records. Stored by name; entries written by a newer gateway with a
/// kind this version does not know still verify and list (the name is kept as text).
/// </summary>
public enum AuditEventKind
{
    /// <summary>Devices registered from manufacturing records.</summary>
    DeviceImport = 1,

    /// <summary>An operational certificate issued to a device (first enrolment or renewal).</summary>
    Enrolment = 2,

    /// <summary>A device's certificates revoked.</summary>
    Revocation = 3,

    /// <summary>A device retired and its entry closed.</summary>
    Decommission = 4,

    /// <summary>A device quarantined.</summary>
    Quarantine = 5,

    /// <summary>A device released from quarantine.</summary>
    QuarantineRelease = 6,

    /// <summary>Another device state change (for example enrolled to operating).</summary>
    DeviceStateChange = 7,

    /// <summary>A protocol allowlist, zone or posture rule changed.</summary>
    PolicyChange = 8,

    /// <summary>An operator approved an OTA release or a rollout wave.</summary>
    OtaApproval = 9,

    /// <summary>The enclosure was opened or another tamper signal fired.</summary>
    Tamper = 10,

    /// <summary>An operator re-armed the gateway after a tamper event.</summary>
    Rearm = 11,

    /// <summary>A long-lived key was created (gateway identity, device CA).</summary>
    KeyCreated = 12,

    /// <summary>A backup was written.</summary>
    Backup = 13,

    /// <summary>The gateway was restored from a backup.</summary>
    Restore = 14,

    /// <summary>An operator reset a lost audit anchor to the current head.</summary>
    AnchorReset = 15,

    /// <summary>EST refusals from one source address, counted per reason over an interval (one entry per source and interval).</summary>
    EnrolmentRefused = 16,

    /// <summary>A security alert was raised (posture, heartbeat, policy, tamper).</summary>
    Alert = 17,

    /// <summary>A device's posture verdict changed (healthy, degraded, compromised).</summary>
    PostureVerdict = 18,

    /// <summary>Protocol allowlist violations by one device in one interval (aggregated).</summary>
    PolicyViolation = 19,

    /// <summary>Broker connections refused from one source in one interval (aggregated).</summary>
    ConnectionRefused = 20,

    /// <summary>
    /// The CA ceremony's output (root, gateway intermediate, recovery certificate) was installed
    /// with <c>iotsec-gateway keys install</c>. (Numbered apart from the device-edge kinds.)
    /// </summary>
    HierarchyInstalled = 40,
}
