using System.Collections.Frozen;
using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// The device state machine as one table (CONVENTIONS: one transition table). A pair that is
/// not in the table is refused: default deny.
/// </summary>
public static class DeviceLifecycle
{
    private static readonly FrozenDictionary<(DeviceState From, DeviceLifecycleEvent Event), DeviceState> Transitions =
        new Dictionary<(DeviceState, DeviceLifecycleEvent), DeviceState>
        {
            [(DeviceState.Registered, DeviceLifecycleEvent.CertificateIssued)] = DeviceState.Enrolled,
            [(DeviceState.Enrolled, DeviceLifecycleEvent.CertificateIssued)] = DeviceState.Enrolled,
            [(DeviceState.Operating, DeviceLifecycleEvent.CertificateIssued)] = DeviceState.Operating,
            // Renewal does not release a quarantined device; it keeps it reachable for inspection.
            [(DeviceState.Quarantined, DeviceLifecycleEvent.CertificateIssued)] = DeviceState.Quarantined,

            [(DeviceState.Enrolled, DeviceLifecycleEvent.OperatingConfirmed)] = DeviceState.Operating,
            [(DeviceState.Operating, DeviceLifecycleEvent.OperatingConfirmed)] = DeviceState.Operating,

            [(DeviceState.Enrolled, DeviceLifecycleEvent.Quarantine)] = DeviceState.Quarantined,
            [(DeviceState.Operating, DeviceLifecycleEvent.Quarantine)] = DeviceState.Quarantined,
            [(DeviceState.Quarantined, DeviceLifecycleEvent.Release)] = DeviceState.Operating,

            [(DeviceState.Registered, DeviceLifecycleEvent.Revoke)] = DeviceState.Revoked,
            [(DeviceState.Enrolled, DeviceLifecycleEvent.Revoke)] = DeviceState.Revoked,
            [(DeviceState.Operating, DeviceLifecycleEvent.Revoke)] = DeviceState.Revoked,
            [(DeviceState.Quarantined, DeviceLifecycleEvent.Revoke)] = DeviceState.Revoked,

            [(DeviceState.Registered, DeviceLifecycleEvent.Decommission)] = DeviceState.Decommissioned,
            [(DeviceState.Enrolled, DeviceLifecycleEvent.Decommission)] = DeviceState.Decommissioned,
            [(DeviceState.Operating, DeviceLifecycleEvent.Decommission)] = DeviceState.Decommissioned,
            [(DeviceState.Quarantined, DeviceLifecycleEvent.Decommission)] = DeviceState.Decommissioned,
            [(DeviceState.Revoked, DeviceLifecycleEvent.Decommission)] = DeviceState.Decommissioned,
        }.ToFrozenDictionary();

    /// <summary>The state after <paramref name="lifecycleEvent"/>, or false when the table has no such transition.</summary>
    public static bool TryNext(DeviceState from, DeviceLifecycleEvent lifecycleEvent, out DeviceState next) =>
        Transitions.TryGetValue((from, lifecycleEvent), out next);

    /// <summary>True for states in which the device holds no usable certificate and may not enrol.</summary>
    public static bool IsClosed(DeviceState state) =>
        state is DeviceState.Revoked or DeviceState.Decommissioned;
}
