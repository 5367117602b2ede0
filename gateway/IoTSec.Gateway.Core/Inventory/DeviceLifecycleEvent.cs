namespace IoTSec.Gateway.Core.Inventory;

/// <summary>What can happen to a device; <see cref="DeviceLifecycle"/> maps (state, event) to the next state.</summary>
public enum DeviceLifecycleEvent
{
    /// <summary>An operational certificate was issued (first enrolment or renewal).</summary>
    CertificateIssued = 1,

    /// <summary>The device proved itself working (first good posture after enrolment).</summary>
    OperatingConfirmed = 2,

    /// <summary>Policy or an operator quarantined the device.</summary>
    Quarantine = 3,

    /// <summary>An operator released the device from quarantine.</summary>
    Release = 4,

    /// <summary>An operator revoked the device.</summary>
    Revoke = 5,

    /// <summary>An operator retired the device.</summary>
    Decommission = 6,
}
