namespace IoTSec.Gateway.Core.Inventory;

/// <summary>Where a device is in its life at this gateway. Transitions: <see cref="DeviceLifecycle"/>.</summary>
public enum DeviceState
{
    /// <summary>Imported from the manufacturing records; may enrol with its birth certificate.</summary>
    Registered = 1,

    /// <summary>Holds an operational certificate; not yet seen working.</summary>
    Enrolled = 2,

    /// <summary>Enrolled and reporting a good posture.</summary>
    Operating = 3,

    /// <summary>Misbehaved; its traffic is restricted until an operator releases it.</summary>
    Quarantined = 4,

    /// <summary>Every certificate revoked; refused everywhere. Terminal except for decommissioning.</summary>
    Revoked = 5,

    /// <summary>Retired: certificates revoked and the entry closed. Terminal; the row stays as history.</summary>
    Decommissioned = 6,
}
