namespace IoTSec.Gateway.Core.Posture;

/// <summary>What the gateway does to a device whose verdict becomes compromised (setting <c>IoTSec:Posture:Action</c>).</summary>
public enum RemediationAction
{
    /// <summary>Quarantine: the live session is restricted to heartbeats, enrolment and OTA at once, and the inventory state becomes Quarantined.</summary>
    Quarantine = 1,

    /// <summary>Revoke every certificate of the device: its session is dropped and it can neither reconnect nor enrol.</summary>
    Revoke = 2,

    /// <summary>Only raise the alert; an operator decides.</summary>
    AlertOnly = 3,
}
